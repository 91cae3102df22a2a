"""Skills lifecycle end to end: `add` from every source kind, each attack on the install path,
integrity on every run (tampered files, tampered bytecode, a state-DB record edited without the
key), `verify`, `approve`, `remove`, `reindex`, `init`, and concurrent writers and runners."""
import io
import json
import os
import pathlib
import shutil
import sqlite3
import subprocess
import tarfile
import threading
import zipfile

import pytest

from conftest import BIN_DIR, SKILLS

CALC_MD = """---
name: {name}
description: Adds two numbers.
---
# {name}
"""
CALC_PY = """import json, sys
d = json.load(sys.stdin)
print(json.dumps({"sum": d.get("a", 0) + d.get("b", 0)}))
"""


@pytest.fixture
def env(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    return {"HOME": str(home), "SKILLLITE_SKILLS_DIR": str(tmp_path / "skills"), "TMPDIR": str(tmp_path)}


@pytest.fixture
def sk(skilllite, env):
    """skilllite with the isolated environment (extra env merged in)."""
    def run(*args, extra=None, **kw):
        e = dict(env)
        e.update(extra or {})
        return skilllite(*args, env=e, **kw)
    return run


def write_skill(d, name, extra_files=None, md=None):
    d.mkdir(parents=True, exist_ok=True)
    (d / "SKILL.md").write_text(md if md is not None else CALC_MD.format(name=name))
    (d / "scripts").mkdir(exist_ok=True)
    (d / "scripts" / "main.py").write_text(CALC_PY)
    for rel, content in (extra_files or {}).items():
        p = d / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode())
    return d


def skills_dir(env):
    return pathlib.Path(env["SKILLLITE_SKILLS_DIR"])


def installed_names(env):
    d = skills_dir(env)
    return sorted(p.name for p in d.iterdir()) if d.exists() else []


def state_db(env):
    return pathlib.Path(env["HOME"]) / ".local" / "share" / "skilllite" / "state.db"


# ---- sources ----------------------------------------------------------------------------------

def test_add_local_dir_then_run_and_verify(sk, env, tmp_path):
    src = write_skill(tmp_path / "src" / "whatever-dir", "adder")
    r = sk("add", "--yes", "--json", src)
    assert r.code == 0, r
    out = r.json()
    assert [s["name"] for s in out["installed"]] == ["adder"]
    assert out["installed"][0]["tree_hash"]
    assert installed_names(env) == [".skilllite.lock", "adder"]
    r = sk("run", "--json", skills_dir(env) / "adder", '{"a": 2, "b": 3}')
    assert r.code == 0, r
    env_out = r.json()
    assert env_out["output"] == {"sum": 5}
    assert env_out["sandbox"]["integrity"]["status"] == "verified"
    r = sk("verify", "--json")
    assert r.code == 0, r
    assert r.json()["skills"] == [{"name": "adder", "status": "ok"}]


def test_add_needs_a_confirmation_without_a_terminal(sk, env, tmp_path):
    src = write_skill(tmp_path / "adder", "adder")
    r = sk("add", src)
    assert r.code == 3, r
    assert "confirmation" in r.err
    assert [n for n in installed_names(env) if not n.startswith(".skilllite.lock")] == []


def test_add_refuses_to_replace_without_force(sk, env, tmp_path):
    src = write_skill(tmp_path / "adder", "adder")
    assert sk("add", "--yes", src).code == 0
    (src / "scripts" / "main.py").write_text(CALC_PY.replace("+ d.get", "+ 0 * d.get"))
    r = sk("add", "--yes", src)
    assert r.code == 2 and "already installed" in r.err, r
    r = sk("add", "--yes", "--force", "--json", src)
    assert r.code == 0, r
    assert r.json()["installed"][0]["replaced"] is True
    assert "0 * d.get" in (skills_dir(env) / "adder" / "scripts" / "main.py").read_text()
    assert sk("verify").code == 0


def make_tar(path, members, mode="w:gz"):
    """members: list of (name, bytes | None for a dir, or ("symlink", target) / ("hardlink", target))."""
    with tarfile.open(path, mode) as t:
        for name, content in members:
            info = tarfile.TarInfo(name)
            if content is None:
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                t.addfile(info)
            elif isinstance(content, tuple):
                info.type = tarfile.SYMTYPE if content[0] == "symlink" else tarfile.LNKTYPE
                info.linkname = content[1]
                t.addfile(info)
            else:
                info.size = len(content)
                info.mode = 0o644
                t.addfile(info, io.BytesIO(content))
    return path


def make_zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members:
            z.writestr(name, content)
    return path


def skill_members(prefix, name):
    return [(f"{prefix}SKILL.md", CALC_MD.format(name=name).encode()),
            (f"{prefix}scripts/main.py", CALC_PY.encode())]


def test_add_tar_gz_and_zip_with_several_skills(sk, env, tmp_path):
    tgz = make_tar(tmp_path / "two.tar.gz", skill_members("pack/one-skill/", "one-skill") +
                   skill_members("pack/two-skill/", "two-skill"))
    r = sk("add", "--yes", "--json", tgz)
    assert r.code == 0, r
    assert sorted(s["name"] for s in r.json()["installed"]) == ["one-skill", "two-skill"]
    z = make_zip(tmp_path / "three.zip", skill_members("three-skill/", "three-skill"))
    r = sk("add", "--yes", z)
    assert r.code == 0, r
    assert "three-skill" in installed_names(env)
    assert sk("verify").code == 0


def git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"PATH": "/usr/bin:/bin", "HOME": str(cwd), "GIT_AUTHOR_NAME": "t",
                        "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org"})


def make_repo(path, names):
    path.mkdir(parents=True)
    git("init", "-q", "-b", "main", ".", cwd=path)
    for n in names:
        write_skill(path / "skills" / n, n)
    git("add", "-A", cwd=path)
    git("commit", "-q", "-m", "skills", cwd=path)
    return path


def test_add_git_file_url_and_github_shorthand(sk, env, tmp_path):
    repo = make_repo(tmp_path / "gitbase" / "acme" / "tools", ["alpha-skill", "beta-skill"])
    r = sk("add", "--yes", "--json", f"file://{repo}")
    assert r.code == 0, r
    assert sorted(s["name"] for s in r.json()["installed"]) == ["alpha-skill", "beta-skill"]
    assert not (skills_dir(env) / "alpha-skill" / ".git").exists()
    shutil.rmtree(skills_dir(env))
    r = sk("add", "--yes", "--json", "acme/tools@beta-skill",
           extra={"SKILLLITE_GIT_BASE": f"file://{tmp_path / 'gitbase'}"})
    assert r.code == 0, r
    assert [s["name"] for s in r.json()["installed"]] == ["beta-skill"]
    assert r.json()["installed"][0]["source"] == "acme/tools@beta-skill"


# ---- attacks on the install path --------------------------------------------------------------

def assert_nothing_installed(env):
    d = skills_dir(env)
    if d.exists():
        assert [p.name for p in d.iterdir() if p.name != ".skilllite.lock"] == []


@pytest.mark.parametrize("evil", ["../evil.txt", "pack/../../evil.txt", "/tmp/skilllite-abs-evil.txt"])
def test_tar_slip_and_absolute_paths_are_refused(sk, env, tmp_path, evil):
    tgz = make_tar(tmp_path / "slip.tar.gz", skill_members("pack/", "slip-skill") + [(evil, b"owned")])
    r = sk("add", "--yes", tgz)
    assert r.code != 0, r
    assert not (tmp_path / "evil.txt").exists()
    assert not pathlib.Path("/tmp/skilllite-abs-evil.txt").exists()
    assert_nothing_installed(env)


def test_zip_slip_is_refused(sk, env, tmp_path):
    z = make_zip(tmp_path / "slip.zip", skill_members("s/", "zip-skill") + [("s/../../zip-evil.txt", b"owned")])
    r = sk("add", "--yes", z)
    assert r.code != 0, r
    assert not (tmp_path / "zip-evil.txt").exists()
    assert_nothing_installed(env)


def test_archive_symlink_out_then_write_through_it_is_refused(sk, env, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    tgz = make_tar(tmp_path / "link.tar.gz", skill_members("p/", "link-skill") +
                   [("p/escape", ("symlink", str(outside))), ("p/escape/planted.txt", b"owned")])
    r = sk("add", "--yes", tgz)
    assert r.code != 0, r
    assert not (outside / "planted.txt").exists()
    assert_nothing_installed(env)


def test_local_skill_with_a_symlink_into_home_is_refused(sk, env, tmp_path):
    secret = pathlib.Path(env["HOME"]) / ".ssh" / "id_ed25519"
    secret.parent.mkdir()
    secret.write_text("PRIVATE KEY")
    src = write_skill(tmp_path / "linky", "linky")
    (src / "data").symlink_to(secret)
    r = sk("add", "--yes", src)
    assert r.code == 3, r
    assert "leaves the skill" in r.err
    assert_nothing_installed(env)


def test_zip_bomb_is_refused(sk, env, tmp_path):
    z = tmp_path / "bomb.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, content in skill_members("b/", "bomb-skill"):
            zf.writestr(name, content)
        zf.writestr("b/zeros.bin", b"\0" * (300 << 20))  # 300 MiB of zeros: ~300 KB compressed
    r = sk("add", "--yes", z, timeout=120)
    assert r.code != 0, r
    assert_nothing_installed(env)


def test_a_skill_named_dot_dot_is_refused(sk, env, tmp_path):
    src = write_skill(tmp_path / "x", "x", md=CALC_MD.format(name="../x"))
    r = sk("add", "--yes", src)
    assert r.code == 2, r
    assert "cannot be installed" in r.err
    assert not (tmp_path / "x-installed").exists()
    assert_nothing_installed(env)
    assert not (skills_dir(env).parent / "x").is_symlink()


def test_install_scripts_never_run(sk, env, tmp_path):
    marker = tmp_path / "postinstall-ran"
    src = write_skill(tmp_path / "npm-skill", "npm-skill", extra_files={
        "package.json": json.dumps({"name": "npm-skill", "version": "1.0.0",
                                    "scripts": {"postinstall": f"touch {marker}"}}),
        "setup.py": f"open({str(marker)!r}, 'w').write('x')\n",
    })
    r = sk("add", "--yes", src)
    assert r.code == 0, r
    assert not marker.exists()


# ---- integrity on every run -------------------------------------------------------------------

def installed(sk, env, tmp_path, name="adder", extra=None):
    src = write_skill(tmp_path / "src" / name, name, extra_files=extra)
    r = sk("add", "--yes", src)
    assert r.code == 0, r
    return skills_dir(env) / name


def test_tampered_file_refuses_the_run_and_names_it(sk, env, tmp_path):
    d = installed(sk, env, tmp_path)
    (d / "scripts" / "main.py").write_text(CALC_PY + "\nimport os\n")
    for level in ("1", "2", "3"):
        r = sk("run", "--sandbox-level", level, d, "{}", extra={"SKILLLITE_NO_SANDBOX": "1"} if level == "1" else None)
        assert r.code == 3, r
        assert "scripts/main.py" in r.err
    r = sk("run", "--json", d, "{}")
    assert r.code == 3
    out = r.json()
    assert out["reason"] == "integrity_changed"
    assert {"path": "scripts/main.py", "change": "modified"} in out["integrity"]["changes"]
    r = sk("verify", "--json", "adder")
    assert r.code == 3 and r.json()["skills"][0]["status"] == "changed"
    r = sk("approve", "--yes", "adder")
    assert r.code == 0, r
    assert sk("run", d, '{"a": 1, "b": 1}').code == 0


def test_tampered_bytecode_is_refused(sk, env, tmp_path):
    d = installed(sk, env, tmp_path, extra={"scripts/__pycache__/helper.cpython-311.pyc": b"\x00" * 16})
    (d / "scripts" / "__pycache__" / "helper.cpython-311.pyc").write_bytes(b"\x01" * 16)
    r = sk("run", d, "{}")
    assert r.code == 3, r
    assert "__pycache__/helper.cpython-311.pyc" in r.err


def test_added_file_is_refused(sk, env, tmp_path):
    d = installed(sk, env, tmp_path)
    (d / "scripts" / "extra.py").write_text("print(1)\n")
    r = sk("run", d, "{}")
    assert r.code == 3 and "scripts/extra.py" in r.err, r


def test_state_db_record_edited_without_the_key_is_refused(sk, env, tmp_path):
    d = installed(sk, env, tmp_path)
    (d / "scripts" / "main.py").write_text(CALC_PY + "\n# changed\n")
    # An attacker who can write the DB but not read the key "re-approves" the change.
    db = sqlite3.connect(state_db(env))
    cols = [r[1] for r in db.execute("PRAGMA table_info(installed)")]
    assert "tree_hash" in cols
    db.execute("UPDATE installed SET source = 'trusted' WHERE name = 'adder'")
    db.commit()
    db.close()
    r = sk("run", d, "{}")
    assert r.code == 3, r
    assert "modified without the key" in r.err
    r = sk("verify", "--json")
    assert r.code == 3 and r.json()["skills"][0]["status"] == "bad_record"


# ---- remove, reindex, init --------------------------------------------------------------------

def test_remove_and_reindex(sk, env, tmp_path):
    installed(sk, env, tmp_path, "adder")
    installed(sk, env, tmp_path, "other-skill")
    assert sk("remove", "../x", "--yes").code == 2
    assert sk("remove", "adder").code == 3  # no terminal, no --yes
    r = sk("remove", "--yes", "adder")
    assert r.code == 0, r
    assert "adder" not in installed_names(env)
    assert sk("remove", "--yes", "adder").code == 1
    shutil.rmtree(skills_dir(env) / "other-skill")
    (skills_dir(env) / ".skilllite-stage-abc123").mkdir()
    write_skill(skills_dir(env) / "manual-skill", "manual-skill")
    r = sk("reindex", "--json")
    assert r.code == 0, r
    out = r.json()
    assert out["dropped_records"] == ["other-skill"]
    assert out["cleared_staging"] == [".skilllite-stage-abc123"]
    assert out["unrecorded"] == ["manual-skill"]
    r = sk("verify", "--json")
    assert r.code == 0 and r.json()["skills"] == [{"name": "manual-skill", "status": "unrecorded"}]


def test_init_installs_the_bundled_skills_once(sk, env, tmp_path):
    r = sk("init", "--json")
    assert r.code == 0, r
    names = sorted(s["name"] for s in r.json()["installed"])
    assert names == sorted(p.name for p in SKILLS.iterdir() if (p / "SKILL.md").exists())
    assert all(s["channel"] == "init" for s in r.json()["installed"])
    r = sk("init", "--json")
    assert r.code == 0 and r.json()["installed"] == [], r
    assert sk("verify").code == 0


# ---- concurrency ------------------------------------------------------------------------------

def test_concurrent_add_run_remove_are_safe(sk, env, tmp_path):
    src = write_skill(tmp_path / "src" / "adder", "adder")
    assert sk("add", "--yes", src).code == 0
    d = skills_dir(env) / "adder"
    codes = {"add": [], "run": [], "remove": []}
    lock = threading.Lock()

    def loop(kind, args, n):
        for _ in range(n):
            r = sk(*args, timeout=120)
            with lock:
                codes[kind].append((r.code, r.err[-300:]))

    threads = [threading.Thread(target=loop, args=("add", ("add", "--yes", "--force", src), 6)),
               threading.Thread(target=loop, args=("run", ("run", "--sandbox-level", "2", d, '{"a": 1}'), 12)),
               threading.Thread(target=loop, args=("remove", ("remove", "--yes", "adder"), 3))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # runs either ran the approved skill, or found it gone; never a changed/half-swapped one
    for code, err in codes["run"]:
        assert code in (0, 2), err
        assert "changed since it was approved" not in err and "modified without the key" not in err, err
    for code, err in codes["add"]:
        assert code in (0, 2), err
    r = sk("verify", "--json")
    assert r.code == 0, r
    assert not [p for p in skills_dir(env).iterdir() if p.name.startswith(".skilllite-stage-")]


# ---- archive URLs (full binary: libcurl) --------------------------------------------------------

@pytest.fixture
def http_files(tmp_path):
    """Serve tmp_path/www on 127.0.0.1 (plain http is accepted for loopback only)."""
    import functools
    import http.server
    www = tmp_path / "www"
    www.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(www))
    handler.log_message = lambda *a: None
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield www, f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_add_archive_url(sk, env, tmp_path, http_files):
    www, base = http_files
    make_tar(www / "pack.tar.gz", skill_members("web-skill/", "web-skill"))
    r = sk("add", "--yes", "--json", f"{base}/pack.tar.gz")
    assert r.code == 0, r
    assert [s["name"] for s in r.json()["installed"]] == ["web-skill"]
    assert r.json()["installed"][0]["source"] == f"{base}/pack.tar.gz"
    r = sk("add", "--yes", f"{base}/missing.tar.gz")
    assert r.code == 1 and "404" in r.err, r
    # a slip inside a downloaded archive is refused like a local one
    make_tar(www / "slip.tar.gz", skill_members("s/", "slip-web") + [("../web-evil.txt", b"x")])
    r = sk("add", "--yes", f"{base}/slip.tar.gz")
    assert r.code == 3, r
    assert not (tmp_path / "web-evil.txt").exists()


def test_the_sandbox_edition_cannot_download(skilllite_sandbox, env, http_files):
    www, base = http_files
    make_tar(www / "pack.tar.gz", skill_members("web-skill/", "web-skill"))
    r = skilllite_sandbox("add", "--yes", f"{base}/pack.tar.gz", env=env)
    assert r.code != 0 and "cannot download" in r.err, r
    assert_nothing_installed(env)


# ---- the terminal prompt ------------------------------------------------------------------------

def test_add_and_remove_ask_on_the_terminal(env, tmp_path):
    from test_level3 import _run_on_pty
    src = write_skill(tmp_path / "adder", "adder")
    code, out = _run_on_pty(["add", src], env, b"n\n")
    assert code == 3 and "Install it? [y/N]" in out and "declined" in out, out
    assert_nothing_installed(env)
    code, out = _run_on_pty(["add", src], env, b"y\n")
    assert code == 0 and "Installed 'adder'" in out, out
    assert (skills_dir(env) / "adder" / "SKILL.md").exists()
    code, out = _run_on_pty(["remove", "adder"], env, b"n\n")
    assert code == 3 and (skills_dir(env) / "adder").exists(), out
    code, out = _run_on_pty(["remove", "adder"], env, b"y\n")
    assert code == 0 and not (skills_dir(env) / "adder").exists(), out


# ---- git over the smart HTTP protocol (the https:// code path, without TLS, on loopback) -------

@pytest.fixture
def git_http(tmp_path):
    """`git http-backend` behind a tiny CGI bridge on 127.0.0.1, serving tmp_path/gitroot."""
    import http.server
    root = tmp_path / "gitroot"
    root.mkdir()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def _cgi(self):
            path, _, query = self.path.partition("?")
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            env = {"GIT_PROJECT_ROOT": str(root), "GIT_HTTP_EXPORT_ALL": "1", "PATH_INFO": path,
                   "QUERY_STRING": query, "REQUEST_METHOD": self.command,
                   "CONTENT_TYPE": self.headers.get("Content-Type", ""), "CONTENT_LENGTH": str(len(body)),
                   "PATH": "/usr/bin:/bin", "REMOTE_ADDR": "127.0.0.1"}
            out = subprocess.run(["git", "http-backend"], input=body, capture_output=True, env=env).stdout
            head, _, payload = out.partition(b"\r\n\r\n")
            status = 200
            headers = []
            for line in head.split(b"\r\n"):
                k, _, v = line.decode().partition(":")
                if k.lower() == "status":
                    status = int(v.split()[0])
                elif k:
                    headers.append((k, v.strip()))
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _cgi

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield root, f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_add_from_git_over_http(sk, env, tmp_path, git_http):
    root, base = git_http
    work = make_repo(tmp_path / "work", ["http-skill"])
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(root / "acme" / "tools.git")], check=True,
                   capture_output=True)
    r = sk("add", "--yes", "--json", f"{base}/acme/tools.git")
    assert r.code == 0, r
    assert [s["name"] for s in r.json()["installed"]] == ["http-skill"]
    assert not (skills_dir(env) / "http-skill" / ".git").exists()
    # the GitHub shorthand against the same server
    shutil.rmtree(skills_dir(env))
    r = sk("add", "--yes", "acme/tools.git@http-skill", extra={"SKILLLITE_GIT_BASE": base})
    assert r.code == 0, r
