"""Nothing outlives a run: no process, fd, cgroup or temp dir is left behind, a daemon that tries
to escape is killed, concurrent runs cannot see each other, and the same holds for an
unprivileged engine (setpriv to nobody) where the limits fall back to rlimits.

The 1000-run test is marked `slow`; it is part of `make test` (about 20-40 s on the release build,
roughly twice that on the ASan build)."""
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time

import pytest

from conftest import BIN_DIR, SKILLS, nobody_copy

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
IS_ROOT = os.geteuid() == 0
LEAF = re.compile(r"^skilllite-(\d+)-")


# --- helpers ----------------------------------------------------------------------------------


def engine_env(extra=None):
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    for keep in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if keep in os.environ:
            env[keep] = os.environ[keep]
    env.update(extra or {})
    return env


def start(*args, binary="skilllite", env=None, user=None):
    """Start the engine without waiting: returns the Popen (its pid names the cgroup leaves)."""
    argv = [str(BIN_DIR / binary), *map(str, args)]
    if user == "nobody":
        # a world-usable copy of the binary, and of the bundled skills it is given
        bin_dir, skills = nobody_copy()
        args = [str(a).replace(str(SKILLS), str(skills)) for a in args]
        argv = NOBODY + [str(bin_dir / binary), *args]
    return subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=engine_env(env), text=True)


def finish(proc, input=None, timeout=60):
    out, err = proc.communicate(input=input, timeout=timeout)
    return proc.returncode, out, err


def run(*args, **kw):
    input = kw.pop("input", None)
    timeout = kw.pop("timeout", 60)
    return finish(start(*args, **kw), input=input, timeout=timeout)


def proc_table():
    """{pid: ppid} of every process on the host."""
    table = {}
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        table[int(p)] = int(fields[1])
    return table


def descendants(root):
    table = proc_table()
    children = {}
    for pid, ppid in table.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = [], [root]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return sorted(out)


def open_fds():
    fds = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            fds[int(fd)] = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            pass  # the fd listdir itself used
    return fds


def cgroup_dirs():
    """Every directory where the engine may create its per-run leaves: each hierarchy's root under
    /sys/fs/cgroup and our own (nested) cgroup in it, as /proc/self/cgroup names it."""
    dirs = set()
    base = "/sys/fs/cgroup"
    if os.path.isdir(base):
        dirs.add(base)
        for name in os.listdir(base):
            if os.path.isdir(os.path.join(base, name)):
                dirs.add(os.path.join(base, name))
    with open("/proc/self/cgroup") as f:
        for line in f:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            mounts = ["unified", ""] if controllers == "" else \
                [c.replace("name=", "") for c in controllers.split(",")]
            for m in mounts:
                d = os.path.normpath(os.path.join(base, m, path.lstrip("/")))
                if os.path.isdir(d):
                    dirs.add(d)
    return dirs


def cgroup_leaves(pids=None):
    """skilllite-* leaves, optionally only those made by the given engine pids."""
    leaves = set()
    for d in cgroup_dirs():
        try:
            names = os.listdir(d)
        except OSError:
            continue
        for name in names:
            m = LEAF.match(name)
            if m and (pids is None or int(m.group(1)) in pids):
                leaves.add(os.path.join(d, name))
    return leaves


def cmdlines_with(marker):
    hits = []
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/cmdline", "rb") as f:
                if marker.encode() in f.read():
                    hits.append(int(p))
        except OSError:
            pass
    return hits


@pytest.fixture
def shared_dir():
    """A world-readable temp dir (tmp_path is 0700): skills here can be read by nobody too."""
    d = tempfile.mkdtemp(prefix="sl-e2e-")
    os.chmod(d, 0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


def write_skill(base, name, files, meta=""):
    d = os.path.join(base, name)
    os.makedirs(d)
    with open(os.path.join(d, "SKILL.md"), "w") as f:
        f.write(f"---\nname: {name}\ndescription: Lifecycle test skill {name}.\n{meta}---\n# {name}\n")
    for rel, text in files.items():
        p = os.path.join(d, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
    for root, dirs, fs in os.walk(d):
        os.chmod(root, 0o755)
        for x in fs:
            os.chmod(os.path.join(root, x), 0o644)
    return d


TINY = 'printf \'{"n":1}\\n\'\n'
TINY_L1 = 'printf \'"%s"\\n\' "$TMPDIR"\n'


def cgroups_enforced_as_root():
    rc, out, _ = run("doctor", "--json")
    d = json.loads(out)
    return IS_ROOT and d["cgroup"]["memory"]


# --- (1) many runs leave nothing behind ----------------------------------------------------------


def test_cgroup_leaf_exists_during_a_run_and_not_after(shared_dir):
    """Makes sure the leaf naming the leak checks rely on (skilllite-<engine pid>-...) is real."""
    if not cgroups_enforced_as_root():
        pytest.skip("no cgroup controllers for this engine")
    d = write_skill(shared_dir, "sleeper", {"scripts/main.py": "import time\ntime.sleep(1)\nprint(1)\n"})
    p = start("run", d, binary="skilllite-sandbox")
    leaves = set()
    deadline = time.monotonic() + 5
    while not leaves and time.monotonic() < deadline:
        leaves = cgroup_leaves({p.pid})
        time.sleep(0.02)
    rc, out, err = finish(p)
    assert (rc, out) == (0, "1\n"), err
    assert leaves, "no skilllite-<pid>-* cgroup leaf seen while the run was going on"
    assert not any(os.path.exists(leaf) for leaf in leaves)


@pytest.mark.slow
def test_1000_runs_leave_nothing_behind(shared_dir):
    tiny = write_skill(shared_dir, "tiny", {"scripts/main.sh": TINY})
    me = os.getpid()
    fds_before = open_fds()
    kids_before = descendants(me)
    pids = set()
    t0 = time.monotonic()
    for i in range(1000):
        p = start("run", tiny, binary="skilllite-sandbox")
        pids.add(p.pid)
        rc, out, err = finish(p)
        assert (rc, out) == (0, '{"n":1}\n'), f"run {i}: exit {rc}\n{err}"
    elapsed = time.monotonic() - t0
    # level 1: each run's private temp dir (it prints its TMPDIR) is gone afterwards
    tiny1 = write_skill(shared_dir, "tiny1", {"scripts/main.sh": TINY_L1})
    tmpdirs = []
    for i in range(100):
        p = start("run", "--sandbox-level", "1", tiny1, binary="skilllite-sandbox")
        pids.add(p.pid)
        rc, out, err = finish(p)
        assert rc == 0, f"level-1 run {i}: exit {rc}\n{err}"
        tmpdirs.append(json.loads(out))
    assert all(os.path.basename(t).startswith("skilllite-run-") for t in tmpdirs)
    assert len(set(tmpdirs)) == 100
    assert [t for t in tmpdirs if os.path.exists(t)] == []
    assert descendants(me) == kids_before
    assert open_fds() == fds_before
    assert cgroup_leaves(pids) == set()
    assert elapsed < 300, f"1000 runs took {elapsed:.1f} s"


def test_runs_that_fail_leave_nothing_behind(shared_dir):
    """Timeouts, output floods, memory kills and signals take the other cleanup paths."""
    skills = {
        "timeout": ("import time\ntime.sleep(30)\n", ["--timeout", "1"]),
        "flood": ("import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n", ["--max-output", "10000"]),
        "memory": ("x = bytearray(300 * 1024 * 1024)\nfor i in range(0, len(x), 4096):\n    x[i] = 1\n",
                   ["--max-memory", "32"]),
        "signal": ("import os\nos.kill(os.getpid(), 9)\n", []),
    }
    me = os.getpid()
    fds_before, kids_before = open_fds(), descendants(me)
    pids = set()
    for name, (code, opts) in skills.items():
        d = write_skill(shared_dir, name, {"scripts/main.py": code})
        for level in ("3", "1"):
            p = start("run", "--sandbox-level", level, *opts, d, env={"TMPDIR": shared_dir})
            pids.add(p.pid)
            rc, _, err = finish(p)
            assert rc in (1, 5), f"{name} level {level}: exit {rc}\n{err}"
    assert descendants(me) == kids_before
    assert open_fds() == fds_before
    assert cgroup_leaves(pids) == set()
    assert [e for e in os.listdir(shared_dir) if e.startswith("skilllite-run-")] == []


# --- (2) a daemon does not outlive its run ---------------------------------------------------------


DAEMON = r"""
import json, os, sys, time
req = json.load(sys.stdin)
marker, keep = req["marker"], req.get("keep_stdout", False)
pid = os.fork()
if pid == 0:
    os.setsid()
    if os.fork() == 0:
        if not keep:
            fd = os.open(os.devnull, os.O_RDWR)
            for i in (0, 1, 2):
                os.dup2(fd, i)
        os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(120)", marker])
    os._exit(0)
os.waitpid(pid, 0)
seen = False
deadline = time.time() + 5
while not seen and time.time() < deadline:
    for p in os.listdir("/proc"):
        try:
            seen = seen or (p.isdigit() and marker.encode() in open(f"/proc/{p}/cmdline", "rb").read())
        except OSError:
            pass
    time.sleep(0.01)
print(json.dumps({"daemon_seen": seen}))
"""
DAEMON_META = 'metadata:\n  skilllite.processes: "8"\n'


def daemon_run(shared_dir, level, user=None, keep_stdout=False, timeout=10):
    marker = "skilllite-daemon-marker-" + secrets.token_hex(8)
    d = write_skill(shared_dir, f"daemon-{marker[-16:]}", {"scripts/main.py": DAEMON}, meta=DAEMON_META)
    req = json.dumps({"marker": marker, "keep_stdout": keep_stdout})
    t0 = time.monotonic()
    # --yes: the daemon's fork/exec is what a level-3 scan asks a person about; approved here,
    # so that level 3 is exercised up to the sandbox.
    rc, out, err = run("run", "--yes", "--sandbox-level", level, "--timeout", str(timeout), d, "-",
                       input=req, user=user)
    elapsed = time.monotonic() - t0
    leftovers = cmdlines_with(marker)
    for pid in leftovers:  # do not leave it running for the rest of the suite
        try:
            os.kill(pid, 9)
        except OSError:
            pass
    return rc, out, err, leftovers, elapsed


@pytest.mark.parametrize("level", ["3", "2", "1"])
def test_daemon_is_killed_at_the_end(shared_dir, level):
    rc, out, err, leftovers, _ = daemon_run(shared_dir, level)
    assert rc == 0, err
    assert json.loads(out) == {"daemon_seen": True}
    assert leftovers == []


@pytest.mark.parametrize("level", ["3", "2"])
def test_daemon_holding_stdout_does_not_delay_the_run(shared_dir, level):
    rc, out, err, leftovers, elapsed = daemon_run(shared_dir, level, keep_stdout=True)
    assert rc == 0, err
    assert json.loads(out) == {"daemon_seen": True}
    assert leftovers == []
    assert elapsed < 5


def test_daemon_holding_stdout_does_not_delay_a_level_1_run(shared_dir):
    rc, out, err, leftovers, elapsed = daemon_run(shared_dir, "1", keep_stdout=True, timeout=3)
    assert leftovers == []  # it is killed in the end either way
    assert rc == 0, err
    assert elapsed < 2.5


# --- (3) concurrent runs cannot see each other -----------------------------------------------------


CONCURRENT = r"""
import json, os, re, sys, time
me = json.load(sys.stdin)["marker"]
tmp = os.environ["TMPDIR"]
with open(os.path.join(tmp, me), "w") as f:
    f.write(me)
start = time.time()
time.sleep(1.0)
pattern = re.compile(r"CONC-[0-9a-f]+-\d+")
found = []
pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
for p in pids:
    for name in ("cmdline", "environ"):
        try:
            data = open(f"/proc/{p}/{name}", "rb").read().decode("latin1")
        except OSError:
            continue
        found += [m for m in pattern.findall(data) if m != me]
    for sub in ("root/sandbox/tmp", "root/tmp", "cwd"):
        try:
            found += [e for e in os.listdir(f"/proc/{p}/{sub}") if pattern.fullmatch(e) and e != me]
        except OSError:
            pass
for base in ("/sandbox", "/tmp", "/dev/shm"):
    for root, dirs, files in os.walk(base):
        found += [e for e in files if pattern.fullmatch(e) and e != me]
print(json.dumps({"found": found, "pids": pids, "tmp": sorted(os.listdir(tmp)), "tmpdir": tmp,
                  "start": start, "end": time.time()}))
"""


def concurrent_runs(shared_dir, n, user=None):
    d = write_skill(shared_dir, "peek", {"scripts/main.py": CONCURRENT})
    token = secrets.token_hex(6)
    markers = [f"CONC-{token}-{i}" for i in range(n)]
    # the marker is on each engine's command line and in its environment, where a shared pid
    # namespace would show it to the other runs
    procs = [start("run", d, json.dumps({"marker": m}), user=user, env={"SKILLLITE_CANARY": m})
             for m in markers]
    results = []
    for p, m in zip(procs, markers):
        rc, out, err = finish(p)
        assert rc == 0, err
        results.append(json.loads(out))
    return markers, results


def check_isolated(markers, results):
    for m, r in zip(markers, results):
        assert r["found"] == [], (m, r["found"])
        assert r["tmp"] == [m]
        assert r["tmpdir"] == "/sandbox/tmp"
        assert r["pids"] == [1, 2]  # the sandbox's init and the skill, nothing else
    # they really ran at the same time
    assert max(r["start"] for r in results) < min(r["end"] for r in results)


def test_concurrent_runs_cannot_see_each_other(shared_dir):
    markers, results = concurrent_runs(shared_dir, 8)
    check_isolated(markers, results)


# --- (4) the same as an unprivileged user ----------------------------------------------------------


@pytest.fixture
def nobody():
    if not IS_ROOT or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to switch to nobody")
    rc, out, err = run("doctor", "--json", user="nobody")
    if rc != 0:
        pytest.skip(f"no isolation for an unprivileged user here: {out}{err}")
    return "nobody"


def test_unprivileged_limits_fall_back_to_rlimits(shared_dir, nobody):
    rc, out, err = run("run", "--json", SKILLS / "calculator", '{"a": 1, "b": 2}', user=nobody)
    assert rc == 0, err
    env = json.loads(out)
    assert env["output"] == {"result": 3}
    assert env["sandbox"]["limits"]["enforced_by"] == {
        "memory": "rlimit (RLIMIT_DATA per process)",
        "processes": "rlimit (RLIMIT_NPROC in the sandbox's user namespace)",
        "cpu": "rlimit (RLIMIT_CPU per process)"}
    assert env["sandbox"]["identity"]["host_uid"] == "the invoking user's"
    assert "no memory cgroup controller available" in err
    if cgroups_enforced_as_root():
        rc, out, err = run("run", "--json", SKILLS / "calculator")
        env = json.loads(out)
        assert env["sandbox"]["limits"]["enforced_by"]["memory"] == "cgroup"
        assert env["sandbox"]["limits"]["enforced_by"]["processes"] == "cgroup"
        assert env["sandbox"]["identity"]["host_uid"] == "65534 (nobody: the engine is root)"


def test_unprivileged_memory_limit(shared_dir, nobody):
    d = write_skill(shared_dir, "mem", {"scripts/main.py": "x = bytearray(200 * 1024 * 1024)\nprint(1)\n"})
    rc, out, err = run("run", "--json", "--max-memory", "64", d, user=nobody)
    assert rc == 1, err
    env = json.loads(out)
    assert env["reason"] == "exit"
    assert "MemoryError" in env["stderr"]


def test_unprivileged_runs_leave_nothing_behind(shared_dir, nobody):
    tiny = write_skill(shared_dir, "tiny", {"scripts/main.sh": TINY})
    tiny1 = write_skill(shared_dir, "tiny1", {"scripts/main.sh": TINY_L1})
    me = os.getpid()
    fds_before, kids_before = open_fds(), descendants(me)
    tmpdirs = []
    for i in range(50):
        rc, out, err = run("run", tiny, binary="skilllite-sandbox", user=nobody)
        assert (rc, out) == (0, '{"n":1}\n'), err
        rc, out, err = run("run", "--sandbox-level", "1", tiny1, binary="skilllite-sandbox", user=nobody)
        assert rc == 0, err
        tmpdirs.append(json.loads(out))
    assert [t for t in tmpdirs if os.path.exists(t)] == []
    assert descendants(me) == kids_before
    assert open_fds() == fds_before


@pytest.mark.parametrize("level", ["3", "1"])
def test_unprivileged_daemon_is_killed(shared_dir, nobody, level):
    rc, out, err, leftovers, _ = daemon_run(shared_dir, level, user=nobody)
    assert rc == 0, err
    assert json.loads(out) == {"daemon_seen": True}
    assert leftovers == []


def test_unprivileged_concurrent_runs_cannot_see_each_other(shared_dir, nobody):
    markers, results = concurrent_runs(shared_dir, 4, user=nobody)
    check_isolated(markers, results)


def test_unprivileged_sandbox_identity(shared_dir, nobody):
    code = ("import json, os\nst = os.stat('/sandbox/tmp')\n"
            "print(json.dumps({'uid': os.getuid(), 'gid': os.getgid(), 'groups': os.getgroups(),"
            " 'tmp_owner': st.st_uid}))\n")
    d = write_skill(shared_dir, "ident", {"scripts/main.py": code})
    rc, out, err = run("run", d, user=nobody)
    assert rc == 0, err
    assert json.loads(out) == {"uid": 1000, "gid": 1000, "groups": [], "tmp_owner": 1000}
