"""Environment variables (docs/ENV.md): each SKILLLITE_* / SKILLBOX_* variable, the precedence
command line > environment > skill metadata > defaults, invalid values, and that the host's
environment never reaches a skill."""
import json
import os
import secrets

import pytest

from conftest import SKILLS

CALC = SKILLS / "calculator"
MIB = 1024 * 1024
DEFAULTS = {"level": 3, "timeout_ms": 30000, "memory_bytes": 512 * MIB, "max_processes": 32,
            "output_max_bytes": 16 * MIB}
ALLOWED_ENV = {"PATH", "HOME", "TMPDIR", "LANG", "USER", "LOGNAME", "PYTHONDONTWRITEBYTECODE",
               "PYTHONIOENCODING", "SKILLLITE_SANDBOX", "SKILLBOX_SANDBOX", "SKILLLITE_SKILL_DIR",
               "SKILLLITE_NETWORK_DISABLED"}


def plan(skilllite, *args, env=None, skill=CALC):
    r = skilllite("explain", *args, skill, env=env)
    assert r.code == 0, r
    p = r.json()
    lim = p["limits"]
    return {"level": p["level"], "timeout_ms": lim["timeout_ms"], "memory_bytes": lim["memory_bytes"],
            "max_processes": lim["max_processes"], "output_max_bytes": lim["output_max_bytes"]}


def test_defaults(skilllite):
    assert plan(skilllite) == DEFAULTS


# name suffix, value, plan key, expected
SETTINGS = [
    ("SANDBOX_LEVEL", "2", "level", 2),
    ("SANDBOX_LEVEL", "1", "level", 1),
    ("TIMEOUT_SECS", "7", "timeout_ms", 7000),
    ("MAX_MEMORY_MB", "100", "memory_bytes", 100 * MIB),
    ("MAX_PROCESSES", "9", "max_processes", 9),
    ("MAX_OUTPUT_BYTES", "1234", "output_max_bytes", 1234),
]


@pytest.mark.parametrize("prefix", ["SKILLLITE_", "SKILLBOX_"])
@pytest.mark.parametrize("name,value,key,expected", SETTINGS)
def test_each_variable(skilllite, prefix, name, value, key, expected):
    got = plan(skilllite, env={prefix + name: value})
    assert got == {**DEFAULTS, key: expected}


@pytest.mark.parametrize("name,value,key,expected", SETTINGS)
def test_skilllite_beats_skillbox(skilllite, name, value, key, expected):
    other = "3" if name == "SANDBOX_LEVEL" else "11"
    got = plan(skilllite, env={"SKILLLITE_" + name: value, "SKILLBOX_" + name: other})
    assert got[key] == expected


def test_empty_skilllite_falls_back_to_skillbox(skilllite):
    assert plan(skilllite, env={"SKILLLITE_TIMEOUT_SECS": "", "SKILLBOX_TIMEOUT_SECS": "6"})["timeout_ms"] == 6000


def test_env_limits_take_effect(skilllite, make_skill):
    d = make_skill("loop", "name: loop\ndescription: Loops.\n", files={"scripts/main.py": "while True:\n    pass\n"})
    r = skilllite("run", "--json", d, env={"SKILLLITE_TIMEOUT_SECS": "1"})
    assert r.code == 5, r
    assert r.json()["reason"] == "timeout"
    flood = make_skill("flood", "name: flood\ndescription: Floods.\n",
                       files={"scripts/main.py": "while True:\n    print('x' * 1000)\n"})
    r = skilllite("run", "--json", flood, env={"SKILLBOX_MAX_OUTPUT_BYTES": "5000"})
    assert r.code == 5, r
    assert r.json()["reason"] == "output_limit"
    assert len(r.json()["stdout"]) <= 5000


META = 'metadata:\n  skilllite.timeout: "9"\n  skilllite.memory: "100"\n  skilllite.processes: "8"\n'


def test_precedence_cli_env_metadata_default(skilllite, make_skill):
    d = make_skill("md", f"name: md\ndescription: Has limits in metadata.\n{META}",
                   files={"scripts/main.py": "print(1)\n"})
    # metadata beats the defaults
    assert plan(skilllite, skill=d) == {**DEFAULTS, "timeout_ms": 9000, "memory_bytes": 100 * MIB,
                                        "max_processes": 8}
    # the environment beats metadata
    env = {"SKILLLITE_TIMEOUT_SECS": "7", "SKILLLITE_MAX_MEMORY_MB": "70", "SKILLLITE_MAX_PROCESSES": "5",
           "SKILLLITE_MAX_OUTPUT_BYTES": "999", "SKILLLITE_SANDBOX_LEVEL": "2"}
    assert plan(skilllite, skill=d, env=env) == {"level": 2, "timeout_ms": 7000, "memory_bytes": 70 * MIB,
                                                 "max_processes": 5, "output_max_bytes": 999}
    # the command line beats the environment
    got = plan(skilllite, "--timeout", "3", "--max-memory", "30", "--max-procs", "2", "--max-output", "77",
               "--sandbox-level", "3", skill=d, env=env)
    assert got == {"level": 3, "timeout_ms": 3000, "memory_bytes": 30 * MIB, "max_processes": 2,
                   "output_max_bytes": 77}


@pytest.mark.parametrize("key,value", [("skilllite.timeout", "0"), ("skilllite.timeout", "86401"),
                                       ("skilllite.memory", "-1"), ("skilllite.processes", "many")])
def test_invalid_metadata_limit_makes_the_skill_invalid(skilllite, make_skill, key, value):
    d = make_skill("badmeta", f'name: badmeta\ndescription: Bad limit.\nmetadata:\n  {key}: "{value}"\n',
                   files={"scripts/main.py": "print(1)\n"})
    for cmd in ("run", "explain"):
        r = skilllite(cmd, d)
        assert r.code == 2, r
        assert f"metadata.{key} must be a whole number" in r.err
    # the command line does not rescue an invalid skill
    assert skilllite("run", "--timeout", "5", d).code == 2


def test_command_line_wins_even_over_an_invalid_variable(skilllite):
    """A variable the command line overrides is not even read."""
    assert plan(skilllite, "--timeout", "4", env={"SKILLLITE_TIMEOUT_SECS": "junk"})["timeout_ms"] == 4000


@pytest.mark.parametrize("name,value", [
    ("SKILLLITE_SANDBOX_LEVEL", "0"), ("SKILLLITE_SANDBOX_LEVEL", "4"), ("SKILLLITE_SANDBOX_LEVEL", "two"),
    ("SKILLLITE_TIMEOUT_SECS", "0"), ("SKILLLITE_TIMEOUT_SECS", "-1"), ("SKILLLITE_TIMEOUT_SECS", "1.5"),
    ("SKILLLITE_TIMEOUT_SECS", "86401"), ("SKILLLITE_TIMEOUT_SECS", "5x"),
    ("SKILLLITE_MAX_MEMORY_MB", "abc"), ("SKILLLITE_MAX_MEMORY_MB", "1048577"),
    ("SKILLLITE_MAX_PROCESSES", "4097"), ("SKILLLITE_MAX_OUTPUT_BYTES", "4294967297"),
    ("SKILLLITE_MAX_OUTPUT_BYTES", "99999999999999999999999"),
])
def test_invalid_values_are_usage_errors(skilllite, name, value):
    for cmd in ("explain", "run"):
        r = skilllite(cmd, CALC, env={name: value})
        assert r.code == 2, r
        assert f"{name}='{value}' is not a whole number from 1 to" in r.err
        assert r.out == ""


def test_invalid_legacy_value_is_usage_error(skilllite):
    r = skilllite("run", CALC, env={"SKILLBOX_TIMEOUT_SECS": "zz"})
    assert r.code == 2, r
    assert "'zz' is not a whole number" in r.err


def test_invalid_legacy_value_names_the_legacy_variable(skilllite):
    r = skilllite("run", CALC, env={"SKILLBOX_TIMEOUT_SECS": "zz"})
    assert "SKILLBOX_TIMEOUT_SECS='zz'" in r.err


@pytest.mark.parametrize("var", ["SKILLLITE_NO_SANDBOX", "SKILLBOX_NO_SANDBOX"])
@pytest.mark.parametrize("value,level", [("1", 1), ("true", 1), ("yes", 1), ("0", 3), ("no", 3),
                                         ("false", 3), ("", 3)])
def test_no_sandbox(skilllite, var, value, level):
    assert plan(skilllite, env={var: value})["level"] == level


def test_no_sandbox_yields_to_explicit_levels(skilllite):
    assert plan(skilllite, env={"SKILLLITE_NO_SANDBOX": "1", "SKILLLITE_SANDBOX_LEVEL": "2"})["level"] == 2
    assert plan(skilllite, "--sandbox-level", "3", env={"SKILLLITE_NO_SANDBOX": "1"})["level"] == 3


def test_no_sandbox_run_is_level_1(skilllite):
    r = skilllite("run", "--json", CALC, '{"a": 2, "b": 2}', env={"SKILLLITE_NO_SANDBOX": "1"})
    assert r.code == 0, r
    env = r.json()
    assert env["output"] == {"result": 4}
    assert (env["sandbox"]["level"], env["sandbox"]["isolated"]) == (1, False)
    assert "WITHOUT isolation" in r.err


def test_max_processes_variable_allows_process_creation(skilllite):
    r = skilllite("explain", CALC, env={"SKILLLITE_MAX_PROCESSES": "4"})
    assert r.json()["seccomp"]["process_creation"] is True
    assert skilllite("explain", CALC).json()["seccomp"]["process_creation"] is False


def test_auto_approve_is_accepted(skilllite):
    for var in ("SKILLLITE_AUTO_APPROVE", "SKILLBOX_AUTO_APPROVE"):
        r = skilllite("run", CALC, '{"a": 1, "b": 1}', env={var: "1"})
        assert (r.code, r.out) == (0, '{"result": 2}\n'), r
    r = skilllite("run", "--yes", CALC, '{"a": 1, "b": 1}')
    assert (r.code, r.out) == (0, '{"result": 2}\n'), r


# --- interpreters -----------------------------------------------------------------------------


def test_interpreter_overrides(skilllite):
    p = skilllite("explain", SKILLS / "hash-text", env={"SKILLLITE_SHELL": "sh"}).json()
    assert p["argv"] == [os.path.realpath("/usr/bin/sh"), "/skill/scripts/main.sh"]
    assert p["exec_allowed"][0] == os.path.realpath("/usr/bin/sh")
    p = skilllite("explain", CALC, env={"SKILLLITE_PYTHON": "/usr/bin/python3"}).json()
    assert p["argv"][0] == os.path.realpath("/usr/bin/python3")
    if os.path.exists("/usr/bin/nodejs"):
        p = skilllite("explain", SKILLS / "json-formatter", env={"SKILLLITE_NODE": "nodejs"}).json()
        assert p["argv"][0] == os.path.realpath("/usr/bin/nodejs")


def test_shell_override_runs(skilllite):
    r = skilllite("run", SKILLS / "hash-text", '{"operation": "sha256", "text": "hello"}',
                  env={"SKILLLITE_SHELL": "sh"})
    assert r.code == 0, r
    assert json.loads(r.out)["result"] == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"


@pytest.mark.parametrize("var,skill,lang", [("SKILLLITE_PYTHON", "calculator", "python"),
                                            ("SKILLLITE_NODE", "json-formatter", "node"),
                                            ("SKILLLITE_SHELL", "hash-text", "bash")])
def test_missing_interpreter(skilllite, var, skill, lang):
    for level in ("3", "1"):
        r = skilllite("run", "--sandbox-level", level, SKILLS / skill, env={var: "/nonexistent/interp"})
        assert r.code == 1, r
        assert f"no {lang} interpreter found on this host" in r.err


# --- logging and the test seam ----------------------------------------------------------------


def test_log_levels(skilllite):
    scanner = "level 3: scan verdict"
    r = skilllite("run", CALC)
    assert scanner not in r.err and "skilllite: debug:" not in r.err
    r = skilllite("run", CALC, env={"SKILLLITE_LOG": "info"})
    assert r.code == 0 and scanner in r.err
    r = skilllite("run", CALC, env={"SKILLLITE_LOG": "DEBUG"})
    assert r.code == 0 and "skilllite: debug:" in r.err
    r = skilllite("run", CALC, env={"SKILLLITE_LOG": "nonsense"})
    assert r.code == 0 and scanner not in r.err


def test_log_off_still_says_weakenings(skilllite):
    """Weakenings are always said (DESIGN.md §2), whatever SKILLLITE_LOG asks."""
    r = skilllite("run", "--sandbox-level", "1", CALC, env={"SKILLLITE_LOG": "off"})
    assert r.code == 0
    assert "WITHOUT isolation" in r.err


def test_test_disable_cgroup_falls_back_to_rlimits(skilllite):
    r = skilllite("run", "--json", CALC, env={"SKILLLITE_TEST_DISABLE": "cgroup"})
    assert r.code == 0, r
    enforced = r.json()["sandbox"]["limits"]["enforced_by"]
    assert enforced == {"memory": "rlimit (RLIMIT_DATA per process)",
                        "processes": "rlimit (RLIMIT_NPROC in the sandbox's user namespace)",
                        "cpu": "rlimit (RLIMIT_CPU per process)"}
    assert "no memory cgroup controller available" in r.err


@pytest.mark.parametrize("value", ["bogus", "", ",", "LANDLOCK", "landlock2", "landloc"])
def test_test_disable_only_exact_names(skilllite, value):
    r = skilllite("run", CALC, env={"SKILLLITE_TEST_DISABLE": value})
    assert r.code == 0, r


def test_test_disable_list(skilllite):
    r = skilllite("run", CALC, env={"SKILLLITE_TEST_DISABLE": "cgroup,seccomp"})
    assert r.code == 4, r
    assert "seccomp" in r.err


def test_test_disable_loopback_reports_why_the_proxy_is_missing(skilllite):
    # with grants pid 1 makes the proxy's listener in the sandbox; when it cannot, the run fails
    # with pid 1's reason (it was "the sandbox did not hand over its proxy socket")
    r = skilllite("run", "--allow-network=example.com", CALC, env={"SKILLLITE_TEST_DISABLE": "loopback"})
    assert r.code == 4, r
    assert "network: bringing up the loopback interface: Operation not permitted" in r.err, r
    assert r.out == ""
    # without grants there is no listener to make: the seam changes nothing
    assert skilllite("run", CALC, env={"SKILLLITE_TEST_DISABLE": "loopback"}).code == 0


def test_level_1_temp_dir_follows_tmpdir(skilllite, make_skill, tmp_path):
    base = tmp_path / "base"
    base.mkdir()
    d = make_skill("t", "name: t\ndescription: Prints TMPDIR.\n",
                   files={"scripts/main.py": "import json, os\nprint(json.dumps(os.environ['TMPDIR']))\n"})
    r = skilllite("run", "--sandbox-level", "1", d, env={"TMPDIR": str(base)})
    assert r.code == 0, r
    tmp = json.loads(r.out)
    assert os.path.dirname(tmp) == str(base)
    assert os.path.basename(tmp).startswith("skilllite-run-")
    assert os.listdir(base) == []


# --- the host environment does not leak ---------------------------------------------------------


LEAK_PROBE = r"""
import json, os
found = []
for p in os.listdir("/proc"):
    if not p.isdigit():
        continue
    for f in ("environ", "cmdline"):
        try:
            data = open(f"/proc/{p}/{f}", "rb").read()
        except OSError:
            continue
        found.append(data.replace(b"\0", b" ").decode("latin1"))
print(json.dumps({"env": dict(os.environ), "proc": found}))
"""


def canary_env():
    return {"OPENAI_API_KEY": "sk-canary-" + secrets.token_hex(8),
            "AWS_SECRET_ACCESS_KEY": "aws-canary-" + secrets.token_hex(8),
            "SKILLLITE_CANARY_" + secrets.token_hex(4).upper(): "canary-" + secrets.token_hex(8),
            "ANTHROPIC_API_KEY": "ant-canary-" + secrets.token_hex(8),
            "PYTHONPATH": "/canary/pythonpath", "PYTHONSTARTUP": "/canary/startup.py",
            "LD_LIBRARY_PATH": "/canary/lib", "HOME": "/canary/home", "LANG": "fr_FR.UTF-8",
            "PATH": "/usr/bin:/bin:/canary/bin"}


@pytest.mark.parametrize("level", ["3", "2"])
def test_host_environment_does_not_leak(skilllite, make_skill, level):
    canaries = canary_env()
    d = make_skill("leak", "name: leak\ndescription: Dumps its environment.\n",
                   files={"scripts/main.py": LEAK_PROBE})
    # the probe dumps its whole environment on purpose: a level-3 scan asks about it, we approve
    r = skilllite("run", "--yes", "--sandbox-level", level, d, env=canaries)
    assert r.code == 0, r
    out = json.loads(r.out)
    assert set(out["env"]) == ALLOWED_ENV
    assert out["env"]["PATH"] == "/usr/local/bin:/usr/bin:/bin"
    assert out["env"]["HOME"] == "/sandbox/home"
    assert out["env"]["LANG"] == "C.UTF-8"
    assert out["env"]["SKILLLITE_SANDBOX"] == "1"
    assert len(out["proc"]) >= 2  # the probe did read /proc (its own cmdline and environ at least)
    # nothing readable under /proc (the init's environment included) carries a canary
    for value in canaries.values():
        assert value not in r.out, value


def test_host_environment_does_not_leak_at_level_1(skilllite, make_skill):
    canaries = canary_env()
    d = make_skill("leak", "name: leak\ndescription: Dumps its environment.\n",
                   files={"scripts/main.py": "import json, os\nprint(json.dumps(dict(os.environ)))\n"})
    r = skilllite("run", "--sandbox-level", "1", d, env=canaries)
    assert r.code == 0, r
    env = json.loads(r.out)
    # level 1 shares the host's network, so it does not claim SKILLLITE_NETWORK_DISABLED
    assert set(env) == ALLOWED_ENV - {"SKILLLITE_NETWORK_DISABLED"}
    assert env["SKILLLITE_SANDBOX"] == env["SKILLBOX_SANDBOX"] == "0"
    assert env["PATH"] == "/usr/local/bin:/usr/bin:/bin"
    assert env["LANG"] == "C.UTF-8"
    assert env["HOME"] == env["TMPDIR"]
    for value in canaries.values():
        assert value not in r.out, value


def test_node_and_shell_skills_get_the_allowlist(skilllite, make_skill):
    canaries = canary_env()
    d = make_skill("nodeleak", "name: nodeleak\ndescription: Dumps env.\n",
                   files={"scripts/main.js": "console.log(JSON.stringify(process.env));\n"})
    r = skilllite("run", "--yes", d, env=canaries)
    assert r.code == 0, r
    assert set(json.loads(r.out)) == ALLOWED_ENV
    d = make_skill("shleak", "name: shleak\ndescription: Dumps env.\n",
                   files={"scripts/main.sh": 'printf "\\"%s\\"" "$OPENAI_API_KEY$AWS_SECRET_ACCESS_KEY"\n'})
    r = skilllite("run", "--yes", d, env=canaries)
    assert (r.code, r.out) == (0, '""\n'), r


def test_host_paths_do_not_leak_through_proc(skilllite, tmp_path):
    secret_dir = tmp_path / ("home-of-user-" + secrets.token_hex(6))
    d = secret_dir / "leak"
    (d / "scripts").mkdir(parents=True)
    (d / "SKILL.md").write_text("---\nname: leak\ndescription: Reads /proc.\n---\n# leak\n")
    (d / "scripts" / "main.py").write_text(LEAK_PROBE)
    r = skilllite("run", "--yes", d)
    assert r.code == 0, r
    assert secret_dir.name not in r.out
