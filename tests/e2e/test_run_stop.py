"""`run` stopped by SIGTERM (how serve cancels), and `run --input-after-start` (how serve's warm
sandboxes start): the limit counts from the input, bad input is refused, nothing is left behind."""
import json
import os
import pathlib
import signal
import subprocess
import time

from conftest import BIN_DIR, SKILLS
from serve_client import child_env


def cgroup_leaves(pid):
    found = []
    for root in pathlib.Path("/sys/fs/cgroup").glob("**/skilllite-%d-*" % pid):
        found.append(str(root))
    return found


def processes_with(marker):
    found = []
    for p in pathlib.Path("/proc").iterdir():
        try:
            if p.name.isdigit() and marker.encode() in (p / "cmdline").read_bytes():
                found.append(int(p.name))
        except OSError:
            pass
    return found


def start(args, **kw):
    return subprocess.Popen([str(BIN_DIR / "skilllite"), *map(str, args)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(), **kw)


def sleeper(make_skill, name="sleeper"):
    return make_skill(name, f"name: {name}\ndescription: Sleeps.\n", files={
        "scripts/main.py": "import json, sys, time\nr = json.load(sys.stdin)\ntime.sleep(r['s'])\nprint(json.dumps({'ok': 1}))\n"})


def test_sigterm_stops_the_run_cleanly(make_skill):
    d = sleeper(make_skill)
    p = start(["run", "--json", "--sandbox-level", "2", d, '{"s": 60}'])
    time.sleep(1.5)
    t = time.monotonic()
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=20)
    assert time.monotonic() - t < 5
    env = json.loads(out)
    assert p.returncode == 1 and env["reason"] == "cancelled" and env["ok"] is False, (out, err)
    assert cgroup_leaves(p.pid) == []


def test_input_after_start_waits_for_stdin_and_times_from_it(make_skill):
    d = sleeper(make_skill)
    p = start(["run", "--json", "--sandbox-level", "2", "--timeout", "2", "--input-after-start", d, "-"])
    time.sleep(3)  # longer than the limit: it must not count yet
    out, err = p.communicate(input=b'{"s": 0.5}', timeout=30)
    env = json.loads(out)
    assert p.returncode == 0 and env["ok"] and env["output"] == {"ok": 1}, (out, err)
    assert env["duration_ms"] < 2000


def test_input_after_start_limit_still_applies(make_skill):
    d = sleeper(make_skill)
    p = start(["run", "--json", "--sandbox-level", "2", "--timeout", "1", "--input-after-start", d, "-"])
    out, err = p.communicate(input=b'{"s": 5}', timeout=30)
    env = json.loads(out)
    assert p.returncode == 5 and env["reason"] == "timeout", (out, err)


def test_input_after_start_refuses_bad_input_and_bad_use(make_skill):
    d = sleeper(make_skill)
    p = start(["run", "--json", "--sandbox-level", "2", "--input-after-start", d, "-"])
    out, err = p.communicate(input=b'{"s": ', timeout=30)
    assert p.returncode != 0 and b"not valid JSON" in out + err, (out, err)
    assert cgroup_leaves(p.pid) == []
    p = start(["run", "--input-after-start", d, '{"s": 0}'])
    out, err = p.communicate(timeout=30)
    assert p.returncode == 2 and b"give '-'" in err
    p = start(["exec", "--input-after-start", d, "scripts/main.py", "-"])
    out, err = p.communicate(input=b"{}", timeout=30)
    assert p.returncode == 2 and b"only for run" in err


def test_sigterm_while_waiting_for_input(make_skill):
    d = sleeper(make_skill)
    p = start(["run", "--json", "--sandbox-level", "2", "--input-after-start", d, "-"])
    time.sleep(1.5)
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=20)
    assert p.returncode != 0
    assert cgroup_leaves(p.pid) == []


def test_child_of_a_daemon_dies_with_it(make_skill, tmp_path):
    """SKILLLITE_PARENT_PID: a run started by serve/mcp must not outlive it (PR_SET_PDEATHSIG)."""
    d = sleeper(make_skill, "orphan-check")
    script = tmp_path / "parent.py"
    script.write_text(
        "import os, subprocess, sys, time\n"
        "env = dict(os.environ, SKILLLITE_PARENT_PID=str(os.getpid()))\n"
        f"p = subprocess.Popen([{str(BIN_DIR / 'skilllite')!r}, 'run', '--sandbox-level', '2', {str(d)!r}, '{{\"s\": 60}}'], env=env)\n"
        "print(p.pid, flush=True)\n"
        "time.sleep(60)\n")
    parent = subprocess.Popen(["/usr/bin/python3", str(script)], stdout=subprocess.PIPE, env=child_env())
    child = int(parent.stdout.readline())
    time.sleep(1.5)
    parent.kill()
    parent.wait()
    for _ in range(100):
        if not os.path.exists(f"/proc/{child}") or "Z" in open(f"/proc/{child}/stat").read().split()[2]:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the run outlived its parent")
    time.sleep(0.5)
    assert processes_with(str(d)) == [], "the sandbox outlived the run"
