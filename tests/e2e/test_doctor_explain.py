"""`doctor` (what this host can enforce) and `explain` (the sandbox plan, without running)."""
import json
import os
import re
import shutil

import pytest

from conftest import SKILLS

CALC = SKILLS / "calculator"
MIB = 1024 * 1024
DOCTOR_KEYS = {"user_namespaces", "landlock", "seccomp", "cgroup", "root", "interpreters", "elf_loader",
               "max_level", "default_level_enforceable", "network"}
ALLOWED_ENV = ["PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/sandbox/home", "TMPDIR=/sandbox/tmp",
               "LANG=C.UTF-8", "USER=sandbox", "LOGNAME=sandbox", "PYTHONDONTWRITEBYTECODE=1",
               "PYTHONIOENCODING=utf-8", "SKILLLITE_SANDBOX=1", "SKILLBOX_SANDBOX=1",
               "SKILLLITE_SKILL_DIR=/skill", "SKILLLITE_NETWORK_DISABLED=1"]


# --- doctor -----------------------------------------------------------------------------------


def test_doctor_json(skilllite):
    r = skilllite("doctor", "--json")
    assert r.code == 0, r
    d = r.json()
    assert set(d) == DOCTOR_KEYS
    assert d["user_namespaces"] is True
    assert type(d["landlock"]["abi"]) is int and d["landlock"]["abi"] >= 1
    assert d["landlock"]["features"].startswith("filesystem")
    assert d["seccomp"] is True
    assert d["cgroup"]["version"] in ("v1", "v2", "none")
    assert set(d["cgroup"]) == {"version", "memory", "pids", "cpu", "fast_attach"}
    # fast_attach: false only where joining a cgroup waits for an RCU grace period (v1 without
    # favordynmods); v2 runs are cloned into their cgroup, and no cgroup means no attach
    if d["cgroup"]["version"] != "v1":
        assert d["cgroup"]["fast_attach"] is True
    assert d["root"] is (os.geteuid() == 0)
    assert set(d["interpreters"]) == {"python", "node", "shell"}
    assert d["interpreters"]["python"].startswith("/usr/bin/python3")
    assert d["interpreters"]["shell"] == "/usr/bin/bash"
    assert d["elf_loader"].startswith("/")
    assert d["max_level"] == 3
    assert d["default_level_enforceable"] is True
    assert d["network"]["proxy"] is True
    assert d["network"]["landlock_tcp"] is (d["landlock"]["abi"] >= 4)
    assert "proxy" in d["network"]["summary"]


def test_doctor_text(skilllite):
    r = skilllite("doctor")
    assert r.code == 0, r
    lines = r.out.splitlines()
    assert lines[0] == "SkillLite doctor"
    assert lines[1] == "  user namespaces   yes"
    assert lines[2] == "  Landlock          yes"
    assert lines[3].strip().startswith("ABI ")
    assert "  seccomp           yes" in lines
    assert any(line.startswith("  cgroups           ") for line in lines)
    assert any(line.startswith("  python            /usr/bin/python3") for line in lines)
    assert lines[-1] == "Levels 1-3 available; the default (3) isolates every run."


def test_doctor_agrees_with_itself(skilllite):
    d = skilllite("doctor", "--json").json()
    text = skilllite("doctor").out
    assert f"ABI {d['landlock']['abi']}: {d['landlock']['features']}" in text
    assert f"cgroups           {d['cgroup']['version']}" in text


@pytest.mark.parametrize("feature,key", [("landlock", "landlock"), ("userns", "user_namespaces"),
                                         ("seccomp", "seccomp")])
def test_doctor_with_missing_feature(skilllite, feature, key):
    env = {"SKILLLITE_TEST_DISABLE": feature}
    r = skilllite("doctor", "--json", env=env)
    assert r.code == 4, r
    d = r.json()
    if key == "landlock":
        assert d["landlock"] == {"abi": 0, "features": "none"}
    else:
        assert d[key] is False
    assert d["max_level"] == 1
    assert d["default_level_enforceable"] is False
    r = skilllite("doctor", env=env)
    assert r.code == 4, r
    assert "NO  (needed for isolation)" in r.out
    assert "Isolation is NOT available" in r.out
    assert "--sandbox-level 1" in r.out


def test_doctor_without_cgroups_still_isolates(skilllite):
    r = skilllite("doctor", "--json", env={"SKILLLITE_TEST_DISABLE": "cgroup"})
    assert r.code == 0, r
    d = r.json()
    assert d["cgroup"] == {"version": "none", "memory": False, "pids": False, "cpu": False,
                           "fast_attach": True}
    assert d["max_level"] == 3
    assert "limits fall back to rlimits" in skilllite("doctor", env={"SKILLLITE_TEST_DISABLE": "cgroup"}).out


def test_doctor_usage(skilllite):
    assert skilllite("doctor", "--bogus").code == 2
    r = skilllite("doctor", "--help")
    assert r.code == 0
    assert r.out.startswith("Usage: skilllite doctor")


# --- explain ----------------------------------------------------------------------------------


def explain(skilllite, *args, **kw):
    r = skilllite("explain", *args, **kw)
    assert r.code == 0, r
    return r.json()


def test_explain_default_plan(skilllite):
    p = explain(skilllite, CALC)
    assert p["level"] == 3
    assert p["isolated"] is True
    assert p["argv"][0].startswith("/usr/bin/python3")
    assert p["argv"][1] == "-c" and "_skilllite_boot" in p["argv"][2]  # src/policy/python_boot.c
    assert p["argv"][3:] == ["/skill/scripts/main.py"]
    assert p["cwd"] == "/skill"
    assert p["env"] == ALLOWED_ENV
    lim = p["limits"]
    assert (lim["timeout_ms"], lim["memory_bytes"], lim["max_processes"], lim["output_max_bytes"]) == \
        (30000, 512 * MIB, 32, 16 * MIB)
    assert lim["cpu_seconds"] == 31
    # mounts: the skill read-only and noexec at /skill, a writable scratch, /proc of the sandbox
    by_target = {m["target"]: m for m in p["mounts"]}
    # a small skill is copied into its own read-only tmpfs (its host path stays hidden)
    skill_mount = dict(by_target["/skill"])
    assert skill_mount.pop("size_bytes") > 4096
    assert skill_mount == {"type": "copy", "target": "/skill", "source": str(CALC.resolve()),
                           "read_only": True, "noexec": True}
    assert by_target["/sandbox"]["type"] == "tmpfs"
    assert by_target["/proc"]["type"] == "proc"
    assert by_target["/usr"]["read_only"] is True
    # all of /usr is noexec; only library dirs (the loader's own among them) are mappable again
    assert by_target["/usr"]["noexec"] is True
    loader_dir = next(m["target"] for m in p["mounts"]
                      if m["type"] == "bind" and m["target"].startswith("/usr/lib/") and not m["noexec"])
    assert "/usr/bin" not in by_target and "/usr/lib" not in by_target, loader_dir
    interp = p["argv"][0]
    assert by_target[interp] == {"type": "bind", "target": interp, "source": interp, "read_only": True,
                                 "noexec": False}
    for m in p["mounts"]:
        if m["type"] == "bind" and m["target"] not in ("/dev/null", "/dev/zero", "/dev/full",
                                                       "/dev/random", "/dev/urandom"):
            assert m["read_only"] is True, m
    # Landlock: write only under /sandbox and /dev/shm (+ the three devices), execute only exec_allowed
    assert p["landlock"]["abi"] >= 1
    rules = {r["path"]: set(r["access"]) for r in p["landlock"]["rules"]}
    writers = {path for path, acc in rules.items() if "write_file" in acc}
    assert writers == {"/sandbox", "/dev/shm", "/dev/null", "/dev/zero", "/dev/full"}
    executors = [path for path, acc in rules.items() if "execute" in acc]
    assert sorted(executors) == sorted(p["exec_allowed"])
    assert p["exec_allowed"][0] == interp
    assert p["seccomp"]["process_creation"] is False
    assert p["seccomp"]["tcp_sockets"] is False
    assert any("ptrace" in d for d in p["seccomp"]["denied"])
    assert p["network"] == {"mode": "none"}
    assert p["namespaces"] == ["user", "mount", "pid", "net", "ipc", "uts", "cgroup"]
    assert "scan" not in p  # the run envelope adds that


def test_explain_reflects_options(skilllite):
    p = explain(skilllite, "--timeout", "7", "--max-memory", "100", "--max-procs", "5", "--max-output",
                "4096", CALC)
    lim = p["limits"]
    assert lim["timeout_ms"] == 7000
    assert lim["cpu_seconds"] == 8
    assert lim["memory_bytes"] == 100 * MIB
    assert lim["max_processes"] == 5
    assert lim["output_max_bytes"] == 4096
    assert p["seccomp"]["process_creation"] is True  # --max-procs allows process creation


def test_explain_level_1(skilllite):
    p = explain(skilllite, "--sandbox-level", "1", CALC)
    assert p["level"] == 1
    assert p["isolated"] is False
    assert p["cwd"] == str(CALC.resolve())
    assert p["argv"][-1] == str(CALC.resolve() / "scripts" / "main.py")
    for key in ("mounts", "landlock", "seccomp", "namespaces", "identity", "exec_allowed"):
        assert key not in p, key
    assert "SKILLLITE_SANDBOX=0" in p["env"]
    assert any("WITHOUT isolation" in w for w in p["warnings"])
    assert p["limits"]["enforced_by"]["memory"] == "rlimit (RLIMIT_DATA per process)"


def test_explain_level_2(skilllite):
    p = explain(skilllite, "--sandbox-level", "2", CALC)
    assert (p["level"], p["isolated"]) == (2, True)


def test_explain_other_languages(skilllite):
    p = explain(skilllite, SKILLS / "json-formatter")
    assert p["argv"][0].endswith("/node")
    assert p["argv"][1] == "/skill/scripts/main.js"
    p = explain(skilllite, SKILLS / "hash-text")
    assert p["argv"] == ["/usr/bin/bash", "/skill/scripts/main.sh"]
    # its declared executables (skilllite.exec) are executable, nothing else from /usr/bin
    declared = re.search(r'skilllite\.exec: "([^"]*)"', (SKILLS / "hash-text" / "SKILL.md").read_text())
    expected = [os.path.realpath(shutil.which(t.strip(), path="/usr/local/bin:/usr/bin:/bin"))
                for t in declared.group(1).split(",")]
    assert p["exec_allowed"][2:] == expected
    assert p["seccomp"]["process_creation"] is True


def test_explain_json_flag_is_accepted(skilllite):
    assert explain(skilllite, "--json", CALC)["level"] == 3


def test_explain_is_compact_json_when_piped(skilllite):
    r = skilllite("explain", CALC)
    assert r.out.count("\n") == 1
    json.loads(r.out)


def test_explain_does_not_run_anything(skilllite, make_skill, tmp_path):
    marker = tmp_path / "RAN"
    d = make_skill("m", "name: m\ndescription: Writes a marker.\n",
                   files={"scripts/main.py": f"open({str(marker)!r}, 'w')\nprint('{{}}')\n"})
    explain(skilllite, "--sandbox-level", "1", d)
    assert not marker.exists()


@pytest.mark.parametrize("which", ["missing", "no-skill-md", "bad-name", "prompt-only", "multi-script"])
def test_explain_invalid_or_unrunnable_skill(skilllite, make_skill, tmp_path, which):
    if which == "missing":
        d = tmp_path / "missing"
    elif which == "no-skill-md":
        d = tmp_path / "empty"
        d.mkdir()
    elif which == "bad-name":
        d = make_skill("bad", "name: BAD NAME\ndescription: x\n", files={"scripts/main.py": "print(1)\n"})
    elif which == "prompt-only":
        d = SKILLS / "writing-guide"
    else:
        d = SKILLS / "unit-converter"
    r = skilllite("explain", d)
    assert r.code == 2, r
    assert r.out == ""


def test_explain_usage(skilllite):
    assert skilllite("explain").code == 2
    assert skilllite("explain", CALC, CALC).code == 2
    assert skilllite("explain", "--timeout", "0", CALC).code == 2


def test_explain_with_missing_feature_refuses(skilllite):
    r = skilllite("explain", CALC, env={"SKILLLITE_TEST_DISABLE": "landlock"})
    assert r.code == 4, r
    assert "Landlock" in r.err
    p = explain(skilllite, "--sandbox-level", "1", CALC, env={"SKILLLITE_TEST_DISABLE": "landlock"})
    assert p["level"] == 1


def test_explain_allow_network_matches_run(skilllite):
    """explain and run parse grants the same way: a bad list is a usage error for both."""
    assert skilllite("run", "--allow-network=https://example.com/x", CALC).code == 2
    assert skilllite("explain", "--allow-network=https://example.com/x", CALC).code == 2
    assert explain(skilllite, "--allow-network=example.com", CALC)["network"]["grants"] == ["example.com"]


def test_explain_with_network_grants(skilllite, make_skill):
    d = make_skill("netplan", 'name: netplan\ndescription: Declares network.\nmetadata:\n'
                   '  skilllite.network: "API.Example.com, *.github.com:443, !bad.github.com"\n',
                   files={"scripts/main.py": "print('{}')\n"})
    p = explain(skilllite, "--sandbox-level", "2", "--allow-network=203.0.113.5:8080", d)
    net = p["network"]
    assert net["mode"] == "proxy"
    assert net["proxy"] == "http://127.0.0.1:3128"
    assert net["grants"] == ["api.example.com", "*.github.com:443", "!bad.github.com", "203.0.113.5:8080"]
    assert net["open"] is False and net["private_allowed"] is False
    assert net["limits"]["max_connections"] == 32
    assert "HTTPS_PROXY=http://127.0.0.1:3128" in p["env"]
    assert "SKILLLITE_NETWORK_DISABLED=1" not in p["env"]
    assert p["seccomp"]["tcp_sockets"] is True
    assert "/etc/ssl/certs" in [m["target"] for m in p["mounts"]]
    if p["landlock"]["abi"] >= 4:
        assert "connect only to port 3128" in p["landlock"]["tcp"]
    # --no-network takes it all away again
    q = explain(skilllite, "--sandbox-level", "2", "--no-network", d)
    assert q["network"] == {"mode": "none"}
    assert "SKILLLITE_NETWORK_DISABLED=1" in q["env"]
    assert q["seccomp"]["tcp_sockets"] is False


def test_compatibility_text_never_grants_network(skilllite, make_skill):
    """The original granted network when `compatibility` mentioned it; free text grants nothing."""
    d = make_skill("compatnet", "name: compatnet\ndescription: Talks about the network.\n"
                   "compatibility: Requires Python 3.x, network access to api.github.com, internet\n",
                   files={"scripts/main.py": "print('{}')\n"})
    p = explain(skilllite, "--sandbox-level", "2", d)
    assert p["network"] == {"mode": "none"}
    assert "SKILLLITE_NETWORK_DISABLED=1" in p["env"]
    r = skilllite("run", "--json", "--sandbox-level", "2", d)
    assert r.json()["network"] == {"enabled": False, "mode": "none"}
