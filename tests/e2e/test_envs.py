"""Dependency environments (src/sandbox/env*.c), offline: a PEP 503 index and an npm registry on
127.0.0.1 (pypi_server.py) serve packages these tests build themselves.

- a requirements.txt / package.json becomes an environment built inside the sandbox, and the
  skill imports from it at run time;
- identical needs share one environment, a changed requirement builds another;
- an sdist's setup.py and an npm postinstall script never run (and the sdist is never fetched);
- a failed or interrupted build leaves nothing that is reused; concurrent builds build once;
- clean-env removes what no installed skill uses, --dry-run removes nothing;
- the proxy reaches loopback only for a literal loopback index address, as a root engine and as
  an unprivileged one."""
import json
import os
import pathlib
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from conftest import BIN_DIR, Result, nobody_copy
from pypi_server import NpmRegistry, PyPIServer, npm_tarball, sdist, wheel

BIN = BIN_DIR / "skilllite"

pytestmark = pytest.mark.skipif(not BIN.exists(), reason="no skilllite binary")

DEMO_MAIN = 'import json, demo_pkg, dep_b\nprint(json.dumps({"v": demo_pkg.VALUE, "b": dep_b.X}))\n'
NODE_MAIN = ('const lp = require("left-pad"); const t = require("tiny-dep");\n'
             'console.log(JSON.stringify({v: lp("x"), t}));\n')


# ---- fixtures -------------------------------------------------------------------------------

@pytest.fixture
def pypi(tmp_path):
    """A PEP 503 index: demo-pkg 1.0 (needs dep-b), Dep_B 1.2, demo-pkg 2.0, and evil 1.0 as an
    sdist only, whose setup.py would leave a marker."""
    d = tmp_path / "wheels"
    d.mkdir()
    wheel(d, "demo-pkg", "1.0", {"demo_pkg/__init__.py": "VALUE = 42\n"}, requires=["dep-b>=1"])
    wheel(d, "demo-pkg", "2.0", {"demo_pkg/__init__.py": "VALUE = 2\n"}, requires=["dep-b>=1"])
    wheel(d, "Dep_B", "1.2", {"dep_b/__init__.py": "X = 1\n"})
    marker = tmp_path / "SETUP_PY_RAN"
    sdist(d, "evil", "1.0", f"open({str(marker)!r}, 'w').write('ran')\n"
                            "open('/env/python/SETUP_PY_RAN', 'w').write('ran')\n")
    with PyPIServer(str(d)) as srv:
        srv.dir = d
        srv.marker = marker
        yield srv


@pytest.fixture
def registry(tmp_path):
    """An npm registry: left-pad 1.0.0 (needs tiny-dep ^2), tiny-dep 2.1.0, and evil-post 1.0.0
    whose postinstall would write a marker into the environment."""
    d = tmp_path / "tarballs"
    d.mkdir()
    npm_tarball(d, "left-pad", "1.0.0", {"index.js": "module.exports = (s) => ' ' + s;\n"},
                dependencies={"tiny-dep": "^2.0.0"})
    npm_tarball(d, "tiny-dep", "2.1.0", {"index.js": "module.exports = 7;\n"})
    npm_tarball(d, "evil-post", "1.0.0", {"index.js": "module.exports = 1;\n"},
                scripts={"postinstall": "node -e \"require('fs').writeFileSync("
                                        "'/env/node/POSTINSTALL_RAN', 'x')\""})
    with NpmRegistry(str(d)) as srv:
        yield srv


@pytest.fixture
def envs(tmp_path):
    d = tmp_path / "envs"
    return d


def base_env(tmp_path, envs, pypi=None, registry=None):
    env = {"HOME": str(tmp_path / "home"), "SKILLLITE_ENV_DIR": str(envs),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_DATA_HOME": str(tmp_path / "data")}
    if pypi:
        env["PIP_INDEX_URL"] = pypi.index_url
    if registry:
        env["NPM_CONFIG_REGISTRY"] = registry.url
    return env


def engine(*args, env, timeout=300, cwd=None, binary=None):
    full = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    for keep in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if keep in os.environ:
            full[keep] = os.environ[keep]
    full.update(env)
    proc = subprocess.run([str(binary or BIN), *map(str, args)], capture_output=True, text=True,
                          env=full, timeout=timeout, cwd=cwd)
    return Result(proc)


def py_skill(make_skill, name, requirements=None, compat=None, main=DEMO_MAIN, where=None):
    """A Python skill `name` in tmp_path/where/name (where: a sub-directory, e.g. a skills dir)."""
    front = f"name: {name}\ndescription: Uses packages.\n"
    if compat:
        front += f"compatibility: {json.dumps(compat)}\n"
    files = {"scripts/main.py": main}
    if requirements is not None:
        files["requirements.txt"] = requirements
    return make_skill(f"{where}/{name}" if where else name, front, files=files)


def node_skill(make_skill, name, deps, main=NODE_MAIN, extra=None):
    pkg = {"name": name, "version": "1.0.0", "dependencies": deps}
    pkg.update(extra or {})
    return make_skill(name, f"name: {name}\ndescription: Uses packages.\n",
                      files={"scripts/main.js": main, "package.json": json.dumps(pkg)})


def build(skill, env, *extra):
    r = engine("build-env", "--json", *extra, skill, env=env)
    return r


def built(skill, env):
    r = build(skill, env)
    assert r.code == 0, r
    return r.json()["environments"]


def env_dirs(envs):
    return sorted(p.name for p in envs.iterdir() if p.name.startswith(("python-", "node-"))) \
        if envs.exists() else []


def leftovers(envs):
    return sorted(p.name for p in envs.iterdir() if p.name.startswith((".tmp-", ".trash-"))) \
        if envs.exists() else []


WIRING = ("`run` did not use the built environment: env_prepare() must be called in "
          "cli_run_prepare() and its result applied with env_ref_apply() (see src/sandbox/env.h)")


def run_json(skill, env):
    """Run the skill (its environment is built already) and return its JSON output."""
    r = engine("run", "--sandbox-level", "2", skill, "{}", env=env, timeout=120)
    assert r.code == 0, "%s\n%r" % (WIRING if "ModuleNotFoundError" in r.err or "Cannot find module" in r.err
                                    else "run failed", r)
    return json.loads(r.out)


def files_fetched(srv, fragment):
    return len(srv.fetched(fragment))


# ---- Python ---------------------------------------------------------------------------------

def test_python_env_is_built_in_the_sandbox_and_used_at_run_time(make_skill, pypi, envs, tmp_path):
    skill = py_skill(make_skill, "demo", "demo-pkg>=1.0,<2\n")
    env = base_env(tmp_path, envs, pypi=pypi)
    [e] = built(skill, env)
    assert e["language"] == "python"
    assert e["name"].startswith("python-") and len(e["name"]) == len("python-") + 64
    path = pathlib.Path(e["path"])
    assert path == envs / e["name"]
    site = path / "lib"
    found = {p.name for p in site.glob("python3*/site-packages/*")}
    assert {"demo_pkg", "dep_b"} <= found, found            # the dependency's dependency too
    assert os.path.realpath(path / "bin" / "python").startswith("/usr/bin/python3")
    meta = json.loads((path / ".skilllite-env.json").read_text())
    assert meta["requirements"] == ["demo-pkg>=1.0,<2"]
    assert meta["index"] == pypi.index_url and meta["allow_sdist"] is False
    # the engine owns the tree; nothing is writable by group/others, no set-id bits, no scratch
    for p in [path, *path.rglob("*")]:
        st = os.lstat(p)
        assert st.st_uid == os.geteuid(), p
        if not p.is_symlink():
            assert st.st_mode & 0o7022 == 0, (p, oct(st.st_mode))
    assert not (path / ".skilllite-build").exists()
    assert leftovers(envs) == []

    # run time: the venv's python sees the packages; the index is not asked again
    asked = len(pypi.requests)
    assert run_json(skill, env) == {"v": 42, "b": 1}
    assert len(pypi.requests) == asked
    # the same again through build-env: found, not rebuilt
    assert built(skill, env)[0]["path"] == e["path"]
    assert len(pypi.requests) == asked


def test_env_is_read_only_and_exec_is_refused_at_run_time(make_skill, pypi, envs, tmp_path):
    """A native extension in the environment loads (the mount is not noexec), but nothing in it
    can be written, and a binary it ships cannot be executed (Landlock has no EXECUTE rule)."""
    import glob
    import sysconfig
    ext = glob.glob("/usr/lib/python3*/lib-dynload/_json.*.so")
    if not ext or not os.path.exists("/usr/bin/true"):
        pytest.skip("no _json extension module or /usr/bin/true to package")
    so_name = os.path.basename(ext[0])
    wheel(pypi.dir, "natpkg", "1.0", {
        "natpkg/__init__.py": "",
        f"natpkg/{so_name}": pathlib.Path(ext[0]).read_bytes(),
        "natpkg-1.0.data/scripts/truebin": pathlib.Path("/usr/bin/true").read_bytes(),
    })
    main = ("import importlib.util, json, os, natpkg\n"
            "here = os.path.dirname(natpkg.__file__)\n"
            f"spec = importlib.util.spec_from_file_location('_json', os.path.join(here, {so_name!r}))\n"
            "mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)\n"
            "out = {'native': hasattr(mod, 'scanstring'), 'python': os.path.realpath('/proc/self/exe')}\n"
            "for what, fn in [('write', lambda: open(os.path.join(here, 'x'), 'w')),\n"
            "                 ('exec', lambda: os.execv('/env/python/bin/truebin', ['truebin']))]:\n"
            "    try:\n        fn(); out[what] = 'done'\n"
            "    except OSError as e:\n        out[what] = e.errno\n"
            "print(json.dumps(out))\n")
    skill = py_skill(make_skill, "ro", "natpkg\n", main=main)
    env = base_env(tmp_path, envs, pypi=pypi)
    [e] = built(skill, env)
    tool = pathlib.Path(e["path"]) / "bin" / "truebin"
    assert tool.exists() and os.access(tool, os.X_OK), "the wheel's binary is installed executable"
    out = run_json(skill, env)
    assert out["native"] is True, out            # mmap(PROT_EXEC) from the environment works
    assert out["python"].startswith("/usr/bin/python3"), out
    assert out["write"] == 30, out               # EROFS
    assert out["exec"] == 13, out                # EACCES: Landlock


def test_identical_needs_share_one_environment(make_skill, pypi, envs, tmp_path):
    env = base_env(tmp_path, envs, pypi=pypi)
    a = py_skill(make_skill, "one", "demo-pkg>=1.0,<2\ndemo-pkg\n")
    # the same needs, written differently: PEP 503 spellings, blanks, a comment, an include, and
    # a name from `compatibility` instead of a line
    b = make_skill("two", "name: two\ndescription: Same needs.\n"
                          "compatibility: \"Install with: pip install Demo_Pkg\"\n",
                   files={"scripts/main.py": DEMO_MAIN, "requirements.txt": "# deps\n-r base.txt\n",
                          "base.txt": "demo.pkg >= 1.0, < 2\n"})
    [ea] = built(a, env)
    wheels = files_fetched(pypi, "/files/demo_pkg-1.0")
    assert wheels == 1
    [eb] = built(b, env)
    assert eb["name"] == ea["name"] and eb["path"] == ea["path"]
    assert env_dirs(envs) == [ea["name"]]
    assert files_fetched(pypi, "/files/demo_pkg-1.0") == wheels, "nothing was installed again"
    # a different need is a different environment
    c = py_skill(make_skill, "three", "demo-pkg>=1.0,<2\n")
    [ec] = built(c, env)
    assert ec["name"] != ea["name"]


def test_changed_requirement_builds_a_new_environment(make_skill, pypi, envs, tmp_path):
    env = base_env(tmp_path, envs, pypi=pypi)
    skill = py_skill(make_skill, "chg", "demo-pkg<2\n")
    [first] = built(skill, env)
    (skill / "requirements.txt").write_text("demo-pkg>=2\n")
    [second] = built(skill, env)
    assert second["name"] != first["name"]
    assert env_dirs(envs) == sorted([first["name"], second["name"]])
    assert run_json(skill, env)["v"] == 2


def test_sdist_setup_py_never_runs(make_skill, pypi, envs, tmp_path):
    env = base_env(tmp_path, envs, pypi=pypi)
    skill = py_skill(make_skill, "sd", "demo-pkg<2\nevil\n")
    r = build(skill, env)
    assert r.code == 1, r
    assert "pip install failed" in r.err and "evil" in r.err, r
    assert files_fetched(pypi, "/simple/evil") >= 1          # pip looked...
    assert files_fetched(pypi, "evil-1.0.tar.gz") == 0       # ...and never fetched the sdist
    assert not pypi.marker.exists()
    assert env_dirs(envs) == [] and leftovers(envs) == []
    assert not list(envs.rglob("SETUP_PY_RAN"))
    logs = list(envs.glob(".log-python-*.txt"))
    assert len(logs) == 1 and "evil" in logs[0].read_text()


def test_failed_build_leaves_nothing_reusable(make_skill, pypi, envs, tmp_path):
    env = base_env(tmp_path, envs, pypi=pypi)
    skill = py_skill(make_skill, "late", "late-pkg\n", main="import late_pkg\nprint('{}')\n")
    r = build(skill, env)
    assert r.code == 1, r
    assert env_dirs(envs) == [] and leftovers(envs) == []
    # the package appears on the index: the next build starts from scratch and succeeds
    wheel(pypi.dir, "late-pkg", "0.1", {"late_pkg/__init__.py": ""})
    [e] = built(skill, env)
    assert (pathlib.Path(e["path"]) / "pyvenv.cfg").exists()
    assert not list(envs.glob(".log-*")), "a success clears the failure's log"


def test_interrupted_build_is_not_reused(make_skill, pypi, envs, tmp_path):
    env = base_env(tmp_path, envs, pypi=pypi)
    skill = py_skill(make_skill, "intr", "demo-pkg<2\n")
    pypi.delay = 1.0
    full = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **env}
    for keep in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if keep in os.environ:
            full[keep] = os.environ[keep]
    p = subprocess.Popen([str(BIN), "build-env", str(skill)], env=full, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while time.time() < deadline and not pypi.fetched("/simple/demo-pkg"):
            time.sleep(0.05)
        assert pypi.fetched("/simple/demo-pkg"), "the build never reached the index"
        p.send_signal(signal.SIGKILL)
    finally:
        p.wait(timeout=30)
    time.sleep(0.5)
    assert env_dirs(envs) == [], "a killed build is not an environment"
    stale = leftovers(envs)
    assert len(stale) == 1 and stale[0].startswith(".tmp-python-"), stale
    pypi.delay = 0
    [e] = built(skill, env)
    assert leftovers(envs) == [], "the dead build's directory was removed"
    assert run_json(skill, env)["v"] == 42


def test_concurrent_builds_of_one_key_build_once(make_skill, pypi, envs, tmp_path):
    env = base_env(tmp_path, envs, pypi=pypi)
    a = py_skill(make_skill, "ca", "demo-pkg<2\n")
    b = py_skill(make_skill, "cb", "Demo_Pkg<2\n")
    pypi.delay = 0.4
    full = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **env}
    for keep in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if keep in os.environ:
            full[keep] = os.environ[keep]
    procs = [subprocess.Popen([str(BIN), "build-env", "--json", str(s)], env=full, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for s in (a, b, a)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
    paths = {json.loads(out)["environments"][0]["path"] for out, _ in outs}
    assert len(paths) == 1
    assert files_fetched(pypi, "/files/demo_pkg-1.0") == 1, pypi.requests
    assert env_dirs(envs) == [pathlib.Path(paths.pop()).name] and leftovers(envs) == []


def test_compatibility_names_build_an_environment(make_skill, pypi, envs, tmp_path):
    env = base_env(tmp_path, envs, pypi=pypi)
    skill = py_skill(make_skill, "compat", compat="Python 3. Install with: pip install demo-pkg==1.0")
    [e] = built(skill, env)
    assert json.loads((pathlib.Path(e["path"]) / ".skilllite-env.json").read_text())["requirements"] == \
        ["demo-pkg==1.0"]
    assert run_json(skill, env)["v"] == 42


def test_progress_on_a_terminal_only(make_skill, pypi, envs, tmp_path):
    import pty
    env = base_env(tmp_path, envs, pypi=pypi)
    skill = py_skill(make_skill, "tty", "demo-pkg<2\n")
    full = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **env}
    for keep in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if keep in os.environ:
            full[keep] = os.environ[keep]
    master, slave = pty.openpty()
    try:
        p = subprocess.run([str(BIN), "build-env", str(skill)], env=full, stdout=subprocess.PIPE,
                           stderr=slave, timeout=300)
        os.close(slave)
        slave = -1
        said = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            said += chunk
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
    assert p.returncode == 0, said
    text = said.decode()
    assert "building the python environment (1 package) in the sandbox" in text, text
    assert "python environment ready" in text, text
    # not a terminal: the same build says nothing on stderr (it is found, so nothing to say anyway)
    (skill / "requirements.txt").write_text("demo-pkg<2\ndep-b\n")
    r = build(skill, env)
    assert r.code == 0 and r.err == "", r


def test_no_dependencies(make_skill, envs, tmp_path):
    skill = py_skill(make_skill, "plain", None, main="print('{}')\n")
    r = build(skill, base_env(tmp_path, envs))
    assert r.code == 0, r
    assert r.json() == {"skill": "plain", "environments": []}
    assert env_dirs(envs) == []


@pytest.mark.parametrize("requirements, message", [
    ("git+https://example.com/x.git#egg=x\n", "URL"),
    ("x @ https://example.com/x-1.0-py3-none-any.whl\n", "URL"),
    ("--index-url http://127.0.0.1:9/simple\ndemo-pkg\n", "index"),
    ("--extra-index-url https://evil.example/simple\ndemo-pkg\n", "index"),
    ("-r ../../etc/passwd\n", "outside"),
])
def test_sources_other_than_the_index_are_refused(make_skill, pypi, envs, tmp_path, requirements, message):
    skill = py_skill(make_skill, "bad", requirements)
    r = build(skill, base_env(tmp_path, envs, pypi=pypi))
    assert r.code == 2, r
    assert message in r.err, r
    assert pypi.requests == [], "nothing was fetched"
    assert env_dirs(envs) == []


def test_loopback_index_only_when_named_literally(make_skill, pypi, envs, tmp_path):
    skill = py_skill(make_skill, "lo", "demo-pkg<2\n")
    env = base_env(tmp_path, envs, pypi=pypi)
    env["PIP_INDEX_URL"] = f"http://localhost:{pypi.port}/simple/"
    r = build(skill, env)
    assert r.code == 1, r
    assert pypi.requests == [], "a name that resolves to loopback is refused by the proxy"
    assert "loopback address" in r.err, r                       # the proxy's reason leads
    log = next(envs.glob(".log-python-*.txt")).read_text()
    assert "skilllite: network: denied" in log, log
    env["PIP_INDEX_URL"] = pypi.index_url
    assert built(skill, env)


def test_index_credentials_stay_out_of_the_store(make_skill, pypi, envs, tmp_path):
    env = base_env(tmp_path, envs, pypi=pypi)
    env["PIP_INDEX_URL"] = pypi.index_url.replace("http://", "http://alice:s3cr3t-t0ken@")
    skill = py_skill(make_skill, "cred", "demo-pkg<2\nno-such-pkg-either\n")
    r = build(skill, env)
    assert r.code == 1, r
    assert "s3cr3t" not in r.err and "s3cr3t" not in r.out, r
    (skill / "requirements.txt").write_text("demo-pkg<2\n")
    [e] = built(skill, env)
    meta = json.loads((pathlib.Path(e["path"]) / ".skilllite-env.json").read_text())
    assert meta["index"] == pypi.index_url
    for p in envs.rglob("*"):
        if p.is_file() and not p.is_symlink():
            assert b"s3cr3t" not in p.read_bytes(), p
    # the key ignores the credentials: the same index without them is the same environment
    env["PIP_INDEX_URL"] = pypi.index_url
    assert built(skill, env)[0]["name"] == e["name"]


def test_rebuild(make_skill, pypi, envs, tmp_path):
    env = base_env(tmp_path, envs, pypi=pypi)
    skill = py_skill(make_skill, "rb", "demo-pkg<2\n")
    r = build(skill, env, "--rebuild")                      # nothing to remove yet: just a build
    assert r.code == 0, r
    [e] = r.json()["environments"]
    assert files_fetched(pypi, "/files/demo_pkg-1.0") == 1
    marker = pathlib.Path(e["path"]) / "old"
    marker.write_text("x")
    r = build(skill, env, "--rebuild")
    assert r.code == 0, r
    assert r.json()["environments"][0]["path"] == e["path"]
    assert not marker.exists()
    assert files_fetched(pypi, "/files/demo_pkg-1.0") == 2
    assert leftovers(envs) == []


# ---- Node -----------------------------------------------------------------------------------

needs_npm = pytest.mark.skipif(not (shutil.which("node", path="/usr/bin") and
                                    os.path.exists("/usr/bin/npm")), reason="no node/npm")


@needs_npm
def test_node_env_without_install_scripts(make_skill, registry, envs, tmp_path):
    env = base_env(tmp_path, envs, registry=registry)
    skill = node_skill(make_skill, "nd", {"left-pad": "^1.0.0", "evil-post": "1.0.0"},
                       extra={"devDependencies": {"not-on-the-registry": "1.0.0"},
                              "scripts": {"postinstall": "node -e \"process.exit(1)\""}})
    [e] = built(skill, env)
    path = pathlib.Path(e["path"])
    assert e["language"] == "node"
    assert {"left-pad", "tiny-dep", "evil-post"} <= {p.name for p in (path / "node_modules").iterdir()}
    assert not list(path.rglob("POSTINSTALL_RAN")), "an install script ran"
    assert not registry.fetched("not-on-the-registry"), "devDependencies are not installed"
    pkg = json.loads((path / "package.json").read_text())
    assert "scripts" not in pkg and set(pkg["dependencies"]) == {"left-pad", "evil-post"}
    for p in [path, *path.rglob("*")]:
        if not p.is_symlink():
            assert os.lstat(p).st_mode & 0o7022 == 0, p
    assert run_json(skill, env) == {"v": " x", "t": 7}


@needs_npm
def test_node_lockfile_is_part_of_the_key(make_skill, registry, envs, tmp_path):
    env = base_env(tmp_path, envs, registry=registry)
    a = node_skill(make_skill, "la", {"left-pad": "^1.0.0"})
    [ea] = built(a, env)
    b = node_skill(make_skill, "lb", {"left-pad": "^1.0.0"})
    shutil.copy(pathlib.Path(ea["path"]) / "package-lock.json", b / "package-lock.json")
    [eb] = built(b, env)
    assert eb["name"] != ea["name"]
    assert (pathlib.Path(eb["path"]) / "node_modules" / "tiny-dep").is_dir()
    assert run_json(b, env)["t"] == 7


@needs_npm
def test_node_failed_build(make_skill, registry, envs, tmp_path):
    env = base_env(tmp_path, envs, registry=registry)
    skill = node_skill(make_skill, "nf", {"no-such-package": "1.0.0"})
    r = build(skill, env)
    assert r.code == 1, r
    assert "npm install failed" in r.err, r
    assert env_dirs(envs) == [] and leftovers(envs) == []


# ---- clean-env ------------------------------------------------------------------------------

def test_clean_env(make_skill, pypi, envs, tmp_path):
    env = base_env(tmp_path, envs, pypi=pypi)
    skills_dir = tmp_path / "project" / ".skills"
    skills_dir.mkdir(parents=True)
    kept = py_skill(make_skill, "kept", "demo-pkg<2\n", where="project/.skills")
    plain = py_skill(make_skill, "plain", None, main="print('{}')\n", where="project/.skills")
    gone = py_skill(make_skill, "gone", "demo-pkg>=2\n")       # not in the skills dir
    [ek] = built(kept, env)
    [eg] = built(gone, env)
    assert built(plain, env) == []
    (envs / ".tmp-python-0123-dead12").mkdir()                  # an interrupted build
    (envs / ".tmp-python-0123-dead12" / "junk").write_text("x")
    (envs / "notes.txt").write_text("not ours")

    r = engine("clean-env", "--dry-run", "--json", "--skills-dir", skills_dir, env=env)
    assert r.code == 0, r
    out = r.json()
    assert out["dry_run"] is True
    assert [x["name"] for x in out["removed"]] == [eg["name"]]
    assert [(x["name"], x["used_by"]) for x in out["kept"]] == [(ek["name"], ["kept"])]
    assert out["freed_bytes"] > 0
    assert sorted(env_dirs(envs)) == sorted([ek["name"], eg["name"]]), "a dry run removes nothing"

    # the same through SKILLLITE_SKILLS_DIR and for real
    r = engine("clean-env", "--json", env={**env, "SKILLLITE_SKILLS_DIR": str(skills_dir)})
    assert r.code == 0, r
    out = r.json()
    assert [x["name"] for x in out["removed"]] == [eg["name"]]
    assert env_dirs(envs) == [ek["name"]]
    assert (envs / ".tmp-python-0123-dead12").exists(), "not a name clean-env made: left alone"
    assert (envs / "notes.txt").exists()
    assert leftovers(envs) == [".tmp-python-0123-dead12"]
    assert run_json(kept, env)["v"] == 42

    # text output; then the skill is uninstalled and its environment goes too
    r = engine("clean-env", "--skills-dir", skills_dir, env=env)
    assert r.code == 0 and "kept" in r.out and "removed 0" in r.out, r
    shutil.rmtree(kept)
    r = engine("clean-env", "--skills-dir", skills_dir, env=env)
    assert r.code == 0 and f"removed  {ek['name']}" in r.out, r
    assert env_dirs(envs) == []


def test_clean_env_removes_stale_builds_and_logs(make_skill, pypi, envs, tmp_path):
    env = base_env(tmp_path, envs, pypi=pypi)
    skill = py_skill(make_skill, "st", "no-such-pkg\n")
    assert build(skill, env).code == 1
    name = next(envs.glob(".log-*")).name[len(".log-"):-len(".txt")]
    stale = envs / f".tmp-{name}-abc123"
    stale.mkdir()
    r = engine("clean-env", "--json", "--skills-dir", tmp_path / "none", env=env)
    assert r.code == 0, r
    removed = sorted(x["name"] for x in r.json()["removed"])
    assert removed == sorted([f".log-{name}.txt", stale.name]), removed
    assert not stale.exists() and not list(envs.glob(".log-*"))


def test_clean_env_without_store(tmp_path):
    r = engine("clean-env", "--json", "--skills-dir", tmp_path, env=base_env(tmp_path, tmp_path / "none"))
    assert r.code == 0, r
    assert r.json()["removed"] == [] and r.json()["kept"] == []


def test_usage_errors(tmp_path):
    env = base_env(tmp_path, tmp_path / "envs")
    assert engine("clean-env", "extra", env=env).code == 2
    assert engine("clean-env", "--bogus", env=env).code == 2
    assert engine("build-env", env=env).code == 2
    r = engine("build-env", tmp_path / "nope", env=env)
    assert r.code == 2, r


# ---- an unprivileged engine -----------------------------------------------------------------

@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root and setpriv")
def test_unprivileged_engine(pypi):
    bin_dir, _ = nobody_copy()
    top = pathlib.Path(tempfile.mkdtemp(prefix="skilllite-envs-nobody-"))
    try:
        os.chmod(top, 0o755)
        skill = top / "demo"
        (skill / "scripts").mkdir(parents=True)
        (skill / "SKILL.md").write_text("---\nname: demo\ndescription: Uses packages.\n---\n# demo\n")
        (skill / "requirements.txt").write_text("demo-pkg<2\n")
        (skill / "scripts" / "main.py").write_text(DEMO_MAIN)
        for p in [skill, *skill.rglob("*")]:
            os.chmod(p, 0o755 if p.is_dir() else 0o644)
        work = top / "work"
        work.mkdir()
        os.chown(work, 65534, 65534)
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(work),
               "SKILLLITE_ENV_DIR": str(work / "envs"), "PIP_INDEX_URL": pypi.index_url}
        for keep in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if keep in os.environ:
                env[keep] = os.environ[keep]
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        r = subprocess.run(prefix + [str(bin_dir / "skilllite"), "build-env", "--json", str(skill)],
                           capture_output=True, text=True, env=env, timeout=300)
        assert r.returncode == 0, r.stderr
        path = pathlib.Path(json.loads(r.stdout)["environments"][0]["path"])
        assert os.stat(path).st_uid == 65534
        r = subprocess.run(prefix + [str(bin_dir / "skilllite"), "run", "--sandbox-level", "2", str(skill), "{}"],
                           capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode == 0, (WIRING if "ModuleNotFoundError" in r.stderr else "run failed", r.stderr)
        assert json.loads(r.stdout)["v"] == 42
        r = subprocess.run(prefix + [str(bin_dir / "skilllite"), "clean-env", "--json", "--skills-dir",
                                     str(work / "nothing")], capture_output=True, text=True, env=env, timeout=60)
        assert r.returncode == 0, r.stderr
        assert not path.exists()
    finally:
        shutil.rmtree(top, ignore_errors=True)


# ---- wiring: `add` builds before installing, `run` builds a missing one after its gates --------

def test_add_builds_the_environment_before_installing(make_skill, pypi, envs, tmp_path):
    skill = py_skill(make_skill, "adds-env", "demo-pkg>=1.0,<2\n")
    env = base_env(tmp_path, envs, pypi=pypi)
    env["SKILLLITE_SKILLS_DIR"] = str(tmp_path / "installed")
    r = engine("add", "--yes", "--json", skill, env=env)
    assert r.code == 0, r
    [inst] = r.json()["installed"]
    assert inst["environments"]["python"].startswith("python-")
    assert env_dirs(envs) == [inst["environments"]["python"]]
    assert run_json(tmp_path / "installed" / "adds-env", env) == {"v": 42, "b": 1}


def test_add_leaves_nothing_when_the_environment_cannot_be_built(make_skill, pypi, envs, tmp_path):
    skill = py_skill(make_skill, "no-such-dep", "does-not-exist==9.9\n")
    env = base_env(tmp_path, envs, pypi=pypi)
    env["SKILLLITE_SKILLS_DIR"] = str(tmp_path / "installed")
    r = engine("add", "--yes", skill, env=env)
    assert r.code == 1 and "dependency environment" in r.err, r
    installed = tmp_path / "installed"
    assert [p.name for p in installed.iterdir() if p.name != ".skilllite.lock"] == []
    assert env_dirs(envs) == []


def test_run_builds_a_missing_environment_only_after_level_3(make_skill, pypi, envs, tmp_path):
    # running a program makes the scan verdict medium: level 3 needs an approval
    main = ("import json, subprocess, demo_pkg, dep_b\n"
            "try:\n    subprocess.run(['true'])\nexcept OSError:\n    pass\n" + DEMO_MAIN.split("\n", 1)[1])
    skill = py_skill(make_skill, "late-env", "demo-pkg>=1.0,<2\n", main=main)
    env = base_env(tmp_path, envs, pypi=pypi)
    r = engine("run", skill, "{}", env=env, timeout=120)
    assert r.code == 3 and "confirmation" in r.err, r
    assert env_dirs(envs) == [], "built an environment for a skill nobody approved"
    r = engine("run", "--yes", skill, "{}", env=env, timeout=300)
    assert r.code == 0, r
    assert json.loads(r.out) == {"v": 42, "b": 1}
    assert len(env_dirs(envs)) == 1
