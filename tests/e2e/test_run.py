"""`run`: input, output contract, the JSON envelope, failure reasons, limits, levels, refusals.

Every test drives the real binary (SKILLLITE_BIN_DIR picks the build) and asserts exact exit
codes, reasons and outputs. Skills are written into pytest's tmp_path with make_skill."""
import hashlib
import json
import os
import time

import pytest

from conftest import SKILLS

CALC = SKILLS / "calculator"

ENVELOPE_KEYS = {"ok", "exit_code", "reason", "output", "stdout", "stderr", "duration_ms", "cpu_ms",
                 "peak_memory_kb", "sandbox", "network"}
MIB = 1024 * 1024


def py_skill(make_skill, name, code, meta=""):
    """A one-script Python skill named like its directory."""
    return make_skill(name, f"name: {name}\ndescription: Test skill {name}.\n{meta}",
                      files={"scripts/main.py": code})


ECHO_STDIN = "import sys\nsys.stdout.write(sys.stdin.read())\n"


def only_warnings(stderr):
    """The engine may warn (weakenings are always said) but must not print anything else."""
    return all(line.startswith("skilllite: warning: ") for line in stderr.splitlines())


# --- happy path -------------------------------------------------------------------------------


def test_calculator_plain_output(skilllite):
    r = skilllite("run", CALC, '{"operation": "add", "a": 2, "b": 3}')
    assert r.code == 0, r
    assert r.out == '{"result": 5}\n'
    assert only_warnings(r.err), r


def test_plain_output_is_verbatim_trimmed(skilllite, make_skill):
    """The skill's JSON text is passed on as printed (key order, spacing), only trimmed."""
    d = py_skill(make_skill, "verbatim",
                 'import sys\nsys.stdout.write(\'\\n  {"b":1,   "a" : [1,2.50]}  \\n\\n\')\n')
    r = skilllite("run", d)
    assert r.code == 0, r
    assert r.out == '{"b":1,   "a" : [1,2.50]}\n'


def test_calculator_json_envelope(skilllite):
    r = skilllite("run", "--json", CALC, '{"operation": "multiply", "a": 6, "b": 7}')
    assert r.code == 0, r
    env = r.json()
    assert set(env) == ENVELOPE_KEYS  # no "error", no "limits_hit" on success
    assert env["ok"] is True
    assert env["exit_code"] == 0
    assert env["reason"] == "ok"
    assert env["output"] == {"result": 42}
    assert env["stdout"] == '{"result": 42}\n'
    assert env["stderr"] == ""
    for k in ("duration_ms", "cpu_ms", "peak_memory_kb"):
        assert type(env[k]) is int and env[k] >= 0, k
    assert 0 < env["duration_ms"] < 30000
    assert env["peak_memory_kb"] > 0
    sb = env["sandbox"]
    assert sb["level"] == 3
    assert sb["isolated"] is True
    assert sb["cwd"] == "/skill"
    assert "mounts" not in sb and "env" not in sb and "argv" not in sb  # explain has those
    lim = sb["limits"]
    assert lim["timeout_ms"] == 30000
    assert lim["memory_bytes"] == 512 * MIB
    assert lim["max_processes"] == 32
    assert lim["output_max_bytes"] == 16 * MIB
    assert set(lim["enforced_by"]) == {"memory", "processes", "cpu"}
    assert sb["namespaces"] == ["user", "mount", "pid", "net", "ipc", "uts", "cgroup"]
    assert sb["identity"]["uid"] == 1000 and sb["identity"]["gid"] == 1000
    assert sb["identity"]["hostname"] == "sandbox"
    assert sb["exec_allowed"][0].startswith("/usr/bin/python3")
    assert type(sb["landlock"]["abi"]) is int and sb["landlock"]["abi"] >= 1
    assert "rules" not in sb["landlock"]
    assert sb["seccomp"]["process_creation"] is False
    assert sb["seccomp"]["tcp_sockets"] is False
    assert sb["capabilities"].startswith("all dropped")
    assert sb["no_new_privs"] is True
    assert sb["network"] == {"mode": "none"}
    assert env["network"] == {"enabled": False, "mode": "none"}
    assert isinstance(sb["warnings"], list)
    assert sb["scan"]["performed"] is True and sb["scan"]["verdict"] == "safe"


def test_skill_dir_forms(skilllite, tmp_path):
    """Relative, with a trailing slash, or through a symlink: the real directory is what gets bound."""
    r = skilllite("run", "calculator", '{"a": 1, "b": 1}', cwd=SKILLS)
    assert (r.code, r.out) == (0, '{"result": 2}\n'), r
    r = skilllite("run", "./calculator/", '{"a": 1, "b": 1}', cwd=SKILLS)
    assert (r.code, r.out) == (0, '{"result": 2}\n'), r
    link = tmp_path / "calc-link"
    link.symlink_to(CALC)
    r = skilllite("run", link, '{"a": 1, "b": 1}')
    assert (r.code, r.out) == (0, '{"result": 2}\n'), r
    mounts = skilllite("explain", link).json()["mounts"]
    assert [m["source"] for m in mounts if m["target"] == "/skill"] == [str(CALC.resolve())]


# --- input ----------------------------------------------------------------------------------


def test_input_from_argument_is_passed_verbatim(skilllite, make_skill):
    d = py_skill(make_skill, "echo", ECHO_STDIN)
    r = skilllite("run", d, '{ "x" : [1,  2] }')
    assert r.code == 0, r
    assert r.out == '{ "x" : [1,  2] }\n'


def test_input_from_stdin_dash(skilllite, make_skill):
    d = py_skill(make_skill, "echo", ECHO_STDIN)
    r = skilllite("run", d, "-", input='{"from": "stdin"}\n')
    assert r.code == 0, r
    assert r.out == '{"from": "stdin"}\n'


def test_default_input_is_empty_object(skilllite, make_skill):
    d = py_skill(make_skill, "echo", ECHO_STDIN)
    r = skilllite("run", d)
    assert r.code == 0, r
    assert r.out == "{}\n"
    r = skilllite("run", CALC)
    assert (r.code, r.out) == (0, '{"result": 0}\n')


def test_negative_number_input_is_not_an_option(skilllite):
    r = skilllite("run", CALC, "-1")
    assert r.code == 0, r
    assert json.loads(r.out) == {"error": "input must be a JSON object"}


@pytest.mark.parametrize("bad", ["{", "{'a': 1}", "[1,]", '{"a":1} {"b":2}', "nul", ""])
def test_invalid_input_json_is_usage_error(skilllite, bad):
    r = skilllite("run", CALC, bad)
    assert r.code == 2, r
    assert "input is not valid JSON" in r.err
    assert r.out == ""


def test_invalid_input_on_stdin_is_usage_error(skilllite):
    r = skilllite("run", CALC, "-", input="not json")
    assert r.code == 2, r
    assert "input is not valid JSON" in r.err
    r = skilllite("run", CALC, "-", input="")
    assert r.code == 2, r


def test_input_with_escaped_nul_is_valid_json(skilllite, make_skill):
    d = py_skill(make_skill, "echo", ECHO_STDIN)
    r = skilllite("run", d, '{"a": "x\\u0000y"}')
    assert r.code == 0, r
    assert r.out == '{"a": "x\\u0000y"}\n'


def test_too_many_arguments_is_usage_error(skilllite):
    r = skilllite("run", CALC, "{}", "{}")
    assert r.code == 2
    assert "Usage: skilllite run" in r.err


@pytest.mark.parametrize("opt", [["--timeout", "0"], ["--timeout", "abc"], ["--sandbox-level", "4"],
                                 ["--sandbox-level", "0"], ["--max-memory", "-5"],
                                 ["--max-procs", "4097"], ["--max-output", "1x"]])
def test_invalid_option_values(skilllite, opt):
    r = skilllite("run", *opt, CALC)
    assert r.code == 2, r
    assert f"{opt[0]} expects a whole number" in r.err


# --- invalid skills ---------------------------------------------------------------------------


def test_missing_skill_dir(skilllite, tmp_path):
    r = skilllite("run", tmp_path / "nope")
    assert r.code == 2, r
    assert r.out == ""


def test_dir_without_skill_md(skilllite, tmp_path):
    (tmp_path / "empty").mkdir()
    r = skilllite("run", tmp_path / "empty")
    assert r.code == 2, r


def test_invalid_skill_md(skilllite, make_skill):
    d = make_skill("broken", "name: Not A Valid Name!\n", files={"scripts/main.py": "print(1)\n"})
    r = skilllite("run", d)
    assert r.code == 2, r
    assert "is not a valid skill" in r.err


def test_prompt_only_skill_cannot_run(skilllite):
    r = skilllite("run", SKILLS / "writing-guide")
    assert r.code == 2, r
    assert "prompt-only" in r.err


def test_multi_script_skill_points_to_exec(skilllite):
    r = skilllite("run", SKILLS / "unit-converter")
    assert r.code == 2, r
    assert "no default entry point" in r.err
    assert "skilllite exec" in r.err


def test_bash_tool_skill_run_points_to_bash(skilllite, make_skill):
    d = make_skill("bt", "name: bt\ndescription: Bash tool.\nallowed-tools: Bash(echo:*)\n")
    r = skilllite("run", d)
    assert r.code == 2, r
    assert "skilllite bash" in r.err


# --- failures of the skill ------------------------------------------------------------------


def test_nonzero_exit_is_failure_with_stderr(skilllite, make_skill):
    d = py_skill(make_skill, "fail", "import sys\nprint('boom-on-stderr', file=sys.stderr)\nsys.exit(3)\n")
    r = skilllite("run", d)
    assert r.code == 1, r
    assert "boom-on-stderr" in r.err
    assert "the skill exited with status 3" in r.err
    assert r.out == ""
    r = skilllite("run", "--json", d)
    assert r.code == 1
    env = r.json()
    assert (env["ok"], env["exit_code"], env["reason"]) == (False, 1, "exit")
    assert env["stderr"] == "boom-on-stderr\n"
    assert env["error"] == "the skill exited with status 3"
    assert env["output"] is None


def test_non_json_output_is_failure(skilllite, make_skill):
    d = py_skill(make_skill, "text", "print('hello, not json')\n")
    r = skilllite("run", d)
    assert r.code == 1, r
    assert "not a single JSON value" in r.err
    env = skilllite("run", "--json", d).json()
    assert (env["ok"], env["exit_code"], env["reason"]) == (False, 1, "ok")
    assert env["stdout"] == "hello, not json\n"
    assert env["output"] is None
    assert env["error"] == "the skill's output is not a single JSON value"


def test_two_json_values_is_failure(skilllite, make_skill):
    d = py_skill(make_skill, "two", 'print(\'{"a": 1}\')\nprint(\'{"b": 2}\')\n')
    r = skilllite("run", d)
    assert r.code == 1, r
    assert "not a single JSON value" in r.err


def test_empty_output_is_failure(skilllite, make_skill):
    d = py_skill(make_skill, "silent", "pass\n")
    r = skilllite("run", "--json", d)
    assert r.code == 1, r
    assert r.json()["error"] == "the skill printed nothing (it must print one JSON value)"


@pytest.mark.parametrize("text,value", [("42", 42), ('"str"', "str"), ("null", None), ("[1, 2]", [1, 2])])
def test_any_single_json_value_is_ok(skilllite, make_skill, text, value):
    d = py_skill(make_skill, "bare", f"print({text!r})\n")
    r = skilllite("run", d)
    assert (r.code, r.out) == (0, text + "\n"), r
    env = skilllite("run", "--json", d).json()
    assert env["ok"] is True
    assert env["output"] == value


def test_output_with_escaped_nul_is_valid_json(skilllite, make_skill):
    d = py_skill(make_skill, "nul", 'import json\nprint(json.dumps({"a": "x\\0y"}))\n')
    r = skilllite("run", d)
    assert r.code == 0, r
    assert r.out == '{"a": "x\\u0000y"}\n'


def test_invalid_utf8_output(skilllite, make_skill):
    d = py_skill(make_skill, "binary", "import sys\nsys.stdout.buffer.write(b'{\"a\": \"\\xff\"}\\n')\n")
    r = skilllite("run", "--json", d)
    assert r.code == 1
    env = r.json()  # the envelope itself stays valid JSON
    assert env["stdout"] == '{"a": "\ufffd"}\n'
    assert env["ok"] is False


@pytest.mark.parametrize("sig", [9, 15])
def test_killed_by_signal(skilllite, make_skill, sig):
    d = py_skill(make_skill, "sig", f"import os\nos.kill(os.getpid(), {sig})\n")
    r = skilllite("run", "--json", d)
    assert r.code == 1, r
    env = r.json()
    assert (env["ok"], env["exit_code"], env["reason"]) == (False, 1, "signal")
    assert env["error"] == f"killed by signal {sig}"
    r = skilllite("run", d)
    assert r.code == 1
    assert f"killed by signal {sig}" in r.err


# --- limits -----------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["while True:\n    pass\n", "import time\ntime.sleep(60)\n"],
                         ids=["busy", "sleeping"])
def test_timeout(skilllite, make_skill, body):
    d = py_skill(make_skill, "loop", body)
    t0 = time.monotonic()
    r = skilllite("run", "--json", "--timeout", "1", d)
    wall = time.monotonic() - t0
    assert r.code == 5, r
    env = r.json()
    assert (env["ok"], env["exit_code"], env["reason"]) == (False, 5, "timeout")
    assert 1000 <= env["duration_ms"] <= 3000, env["duration_ms"]
    assert env["error"] == "timed out after 1 s (wall clock)"
    assert wall < 5
    assert env["sandbox"]["limits"]["timeout_ms"] == 1000


def test_timeout_reports_cpu_time(skilllite, make_skill):
    d = py_skill(make_skill, "loop", "while True:\n    pass\n")
    env = skilllite("run", "--json", "--timeout", "1", d).json()
    assert env["reason"] == "timeout"
    assert env["cpu_ms"] >= 300, env["cpu_ms"]


def test_timeout_plain(skilllite, make_skill):
    d = py_skill(make_skill, "loop", "while True:\n    pass\n")
    r = skilllite("run", "--timeout", "1", d)
    assert r.code == 5
    assert "timed out after 1 s" in r.err
    assert r.out == ""


ALLOC_200MB = ("import json\nx = bytearray(200 * 1024 * 1024)\nfor i in range(0, len(x), 4096):\n"
               "    x[i] = 1\nprint(json.dumps({'n': len(x)}))\n")


def test_memory_limit(skilllite, make_skill):
    d = py_skill(make_skill, "mem", ALLOC_200MB)
    r = skilllite("run", "--json", "--max-memory", "64", d)
    env = r.json()
    assert env["sandbox"]["limits"]["memory_bytes"] == 64 * MIB
    if env["sandbox"]["limits"]["enforced_by"]["memory"] == "cgroup":
        assert r.code == 5, r
        assert (env["ok"], env["exit_code"], env["reason"]) == (False, 5, "memory")
        assert env["error"] == "killed: the memory limit of 64 MB was exceeded"
        assert env["peak_memory_kb"] <= 64 * 1024
    else:  # RLIMIT_DATA: the allocation itself fails
        assert r.code == 1, r
        assert env["reason"] == "exit"
        assert "MemoryError" in env["stderr"]


def test_memory_within_limit(skilllite, make_skill):
    d = py_skill(make_skill, "mem", ALLOC_200MB.replace("200", "20"))
    r = skilllite("run", "--max-memory", "64", d)
    assert (r.code, r.out) == (0, '{"n": 20971520}\n'), r


FLOOD = "import sys\nwhile True:\n    sys.{}.write('x' * 65536)\n"


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_output_flood(skilllite, make_skill, stream):
    d = py_skill(make_skill, "flood", FLOOD.format(stream))
    r = skilllite("run", "--json", "--max-output", "100000", d)
    assert r.code == 5, r
    env = r.json()
    assert (env["ok"], env["exit_code"], env["reason"]) == (False, 5, "output_limit")
    assert 0 < len(env[stream]) <= 100000
    assert env["error"] == "killed: output exceeded 100000 bytes"
    assert env["duration_ms"] < 10000


def test_output_exactly_at_cap_is_ok(skilllite, make_skill):
    """The cap is inclusive: 100000 bytes pass, 100001 bytes do not."""
    code = "import sys\nsys.stdout.write('\"' + 'y' * ({} - 3) + '\"\\n')\n"
    d = py_skill(make_skill, "atcap", code.format(100000))
    r = skilllite("run", "--json", "--max-output", "100000", d)
    assert r.code == 0, r
    assert len(r.json()["stdout"]) == 100000
    d = py_skill(make_skill, "overcap", code.format(100001))
    r = skilllite("run", "--json", "--max-output", "100000", d)
    assert r.code == 5, r
    assert r.json()["reason"] == "output_limit"


def test_process_limit(skilllite, make_skill):
    code = ("import os, sys, time\nn = 0\ntry:\n    for i in range(50):\n        if os.fork() == 0:\n"
            "            time.sleep(5)\n            os._exit(0)\n        n += 1\nexcept OSError as e:\n"
            "    print(f'fork failed after {n}: {e.errno}', file=sys.stderr)\n    sys.exit(1)\n"
            "print(n)\n")
    d = py_skill(make_skill, "forker", code)
    r = skilllite("run", "--json", "--max-procs", "4", d)
    env = r.json()
    assert env["sandbox"]["seccomp"]["process_creation"] is True
    assert env["sandbox"]["limits"]["max_processes"] == 4
    assert env["ok"] is False
    assert "fork failed after" in env["stderr"]
    if env["sandbox"]["limits"]["enforced_by"]["processes"] == "cgroup":
        assert (r.code, env["reason"]) == (5, "pids"), r
        assert env["limits_hit"] == ["pids"]
        assert env["error"] == "failed after hitting the process limit of 4"
    else:
        assert (r.code, env["reason"]) == (1, "exit"), r


def test_fork_denied_without_declaration(skilllite, make_skill):
    code = ("import os, json\ntry:\n    pid = os.fork()\nexcept OSError as e:\n"
            "    print(json.dumps({'errno': e.errno}))\nelse:\n    if pid == 0:\n        os._exit(0)\n"
            "    print(json.dumps({'forked': True}))\n")
    d = py_skill(make_skill, "nofork", code)
    r = skilllite("run", d)
    assert (r.code, r.out) == (0, '{"errno": 1}\n'), r  # EPERM from seccomp


# --- streams and sizes ----------------------------------------------------------------------


def test_stderr_is_captured(skilllite, make_skill):
    d = py_skill(make_skill, "diag", "import sys\nprint('diag line', file=sys.stderr)\nprint('{}')\n")
    r = skilllite("run", d)
    assert (r.code, r.out) == (0, "{}\n"), r
    assert "diag line\n" in r.err
    env = skilllite("run", "--json", d).json()
    assert env["ok"] is True
    assert env["stderr"] == "diag line\n"
    assert env["stdout"] == "{}\n"


def test_one_mib_round_trip(skilllite, make_skill):
    d = py_skill(make_skill, "echo", ECHO_STDIN)
    payload = json.dumps({"data": "".join(chr(ord("a") + i % 26) for i in range(MIB))})
    r = skilllite("run", d, "-", input=payload)
    assert r.code == 0, r.err
    assert len(r.out) == len(payload) + 1
    assert r.out == payload + "\n"


def test_skill_that_never_reads_stdin_finishes(skilllite, make_skill):
    d = py_skill(make_skill, "noread", "print('{\"done\": true}')\n")
    payload = json.dumps({"data": "z" * MIB})
    t0 = time.monotonic()
    r = skilllite("run", d, "-", input=payload, timeout=20)
    assert (r.code, r.out) == (0, '{"done": true}\n'), r
    assert time.monotonic() - t0 < 10


def test_unicode_round_trip(skilllite, make_skill):
    code = ("import json, sys\nreq = json.load(sys.stdin)\n"
            "print(json.dumps({'text': req['text'], 'len': len(req['text'])}, ensure_ascii=False))\n")
    d = py_skill(make_skill, "uni", code)
    text = "héllo wörld — 世界 🎉 Ω"
    r = skilllite("run", d, json.dumps({"text": text}, ensure_ascii=False))
    assert r.code == 0, r
    assert r.out == json.dumps({"text": text, "len": len(text)}, ensure_ascii=False) + "\n"
    env = skilllite("run", "--json", d, json.dumps({"text": text})).json()
    assert env["output"] == {"text": text, "len": len(text)}


# --- levels ---------------------------------------------------------------------------------


ENV_DUMP = "import json, os\nprint(json.dumps(dict(os.environ)))\n"


def test_level_1_warns_and_is_not_isolated(skilllite, make_skill):
    d = py_skill(make_skill, "envdump", ENV_DUMP)
    r = skilllite("run", "--sandbox-level", "1", d)
    assert r.code == 0, r
    assert "skilllite: warning: sandbox level 1: the skill runs WITHOUT isolation" in r.err
    inner = json.loads(r.out)
    assert inner["SKILLLITE_SANDBOX"] == "0"
    assert inner["SKILLLITE_SKILL_DIR"] == str(d)
    r = skilllite("run", "--json", "--sandbox-level", "1", d)
    env = r.json()
    assert env["ok"] is True
    assert env["sandbox"]["level"] == 1
    assert env["sandbox"]["isolated"] is False
    assert "namespaces" not in env["sandbox"] and "landlock" not in env["sandbox"]
    assert env["sandbox"]["scan"] == {"performed": False}
    assert any("WITHOUT isolation" in w for w in env["sandbox"]["warnings"])


def test_level_1_process_limit_report_is_true(skilllite):
    env = skilllite("run", "--json", "--sandbox-level", "1", CALC).json()
    assert "user namespace" not in env["sandbox"]["limits"]["enforced_by"]["processes"]


def test_level_1_runs_in_skill_dir_with_private_tmp(skilllite, make_skill):
    code = ("import json, os, tempfile\nprint(json.dumps({'cwd': os.getcwd(), 'tmp': os.environ['TMPDIR'],"
            " 'home': os.environ['HOME'], 'gettempdir': tempfile.gettempdir(),"
            " 'tmp_exists': os.path.isdir(os.environ['TMPDIR'])}))\n")
    d = py_skill(make_skill, "where", code)
    r = skilllite("run", "--sandbox-level", "1", d)
    assert r.code == 0, r
    o = json.loads(r.out)
    assert o["cwd"] == str(d)
    assert os.path.basename(o["tmp"]).startswith("skilllite-run-")
    assert o["home"] == o["tmp"] == o["gettempdir"]
    assert o["tmp_exists"] is True
    assert not os.path.exists(o["tmp"])  # removed after the run


def test_level_3_envelope_has_the_scan(skilllite):
    env = skilllite("run", "--json", "--sandbox-level", "3", CALC).json()
    assert env["sandbox"]["level"] == 3
    scan = env["sandbox"]["scan"]
    assert scan["performed"] is True and scan["verdict"] == "safe" and scan["approval"] is None


def test_level_2_envelope(skilllite):
    env = skilllite("run", "--json", "--sandbox-level", "2", CALC).json()
    assert env["ok"] is True
    assert env["sandbox"]["level"] == 2
    assert env["sandbox"]["isolated"] is True
    assert env["sandbox"]["scan"] == {"performed": False}


def test_isolated_run_sees_sandbox_view(skilllite, make_skill):
    code = ("import json, os, socket\nprint(json.dumps({'cwd': os.getcwd(), 'uid': os.getuid(),"
            " 'host': socket.gethostname(), 'tmp': os.environ['TMPDIR'], 'home': os.environ['HOME'],"
            " 'pid': os.getpid(), 'sandbox': os.environ['SKILLLITE_SANDBOX']}))\n")
    d = py_skill(make_skill, "view", code)
    r = skilllite("run", d)
    assert r.code == 0, r
    assert json.loads(r.out) == {"cwd": "/skill", "uid": 1000, "host": "sandbox", "tmp": "/sandbox/tmp",
                                 "home": "/sandbox/home", "pid": 2, "sandbox": "1"}


# --- refusals ---------------------------------------------------------------------------------


def test_allow_network_at_level_1_warns_that_nothing_is_enforced(skilllite, make_skill):
    d = py_skill(make_skill, "net", "print('{}')\n")
    r = skilllite("run", "--allow-network=example.com", "--sandbox-level", "1", d)
    assert r.code == 0, r
    assert "network grants are not enforced" in r.err
    r = skilllite("run", "--json", "--allow-network=example.com", "--sandbox-level", "1", d)
    assert r.json()["network"]["mode"] == "host"


def test_allow_network_alone_needs_a_declared_list(skilllite):
    """The calculator declares no hosts, so a bare --allow-network has nothing to grant."""
    r = skilllite("run", "--allow-network", CALC, '{"operation": "add", "a": 1, "b": 2}')
    assert r.code == 2, r
    assert "declares nothing" in r.err
    r = skilllite("run", "--json", "--allow-network=example.com", CALC, '{"operation": "add", "a": 1, "b": 2}')
    assert r.code == 0, r
    net = r.json()["network"]
    assert (net["mode"], net["grants"], net["requests"], net["allowed"], net["denied"]) == \
        ("proxy", ["example.com"], [], 0, 0)


@pytest.mark.parametrize("feature,named", [("userns", "user namespaces"), ("landlock", "Landlock"),
                                           ("seccomp", "seccomp")])
def test_missing_feature_refuses(skilllite, feature, named):
    env = {"SKILLLITE_TEST_DISABLE": feature}
    for level in ([], ["--sandbox-level", "2"], ["--json"]):
        r = skilllite("run", *level, CALC, '{"a": 1, "b": 2}', env=env)
        assert r.code == 4, r
        if level == ["--json"]:  # the refusal is also an envelope on stdout
            e = r.json()
            assert (e["ok"], e["exit_code"], e["reason"], e["output"]) == (False, 4, "sandbox_unavailable", None)
            assert named in e["error"]
        else:
            assert r.out == ""
        assert "sandbox unavailable" in r.err
        assert named in r.err
        assert "--sandbox-level 1" in r.err  # the way out is named
    r = skilllite("run", "--sandbox-level", "1", CALC, '{"a": 1, "b": 2}', env=env)
    assert (r.code, r.out) == (0, '{"result": 3}\n'), r
    assert "WITHOUT isolation" in r.err


def test_several_missing_features(skilllite):
    r = skilllite("run", CALC, env={"SKILLLITE_TEST_DISABLE": "seccomp,landlock"})
    assert r.code == 4, r


# --- other languages and the sandbox-core binary ----------------------------------------------


FORMAT_REQ = '{"operation": "format", "json": "{\\"b\\":1,\\"a\\":[true,null]}", "indent": 2, "sort_keys": true}'
FORMAT_OUT = {"operation": "format", "result": '{\n  "a": [\n    true,\n    null\n  ],\n  "b": 1\n}'}


@pytest.mark.parametrize("binary", ["skilllite", "skilllite-sandbox"])
def test_node_skill(binary, skilllite, skilllite_sandbox):
    run = skilllite if binary == "skilllite" else skilllite_sandbox
    r = run("run", SKILLS / "json-formatter", FORMAT_REQ)
    assert r.code == 0, r
    assert json.loads(r.out) == FORMAT_OUT
    env = run("run", "--json", SKILLS / "json-formatter", FORMAT_REQ).json()
    assert env["sandbox"]["exec_allowed"][0].endswith("/node")


@pytest.mark.parametrize("binary", ["skilllite", "skilllite-sandbox"])
def test_shell_skill(binary, skilllite, skilllite_sandbox):
    run = skilllite if binary == "skilllite" else skilllite_sandbox
    text = "héllo 世界"
    r = run("run", SKILLS / "hash-text", json.dumps({"operation": "sha256", "text": text}))
    assert r.code == 0, r
    assert json.loads(r.out) == {"operation": "sha256",
                                 "result": hashlib.sha256(text.encode()).hexdigest()}
    r = run("run", SKILLS / "hash-text", '{"operation": "base64_encode", "text": "hello"}')
    assert json.loads(r.out) == {"operation": "base64_encode", "result": "aGVsbG8="}


@pytest.mark.parametrize("binary", ["skilllite", "skilllite-sandbox"])
def test_python_skill_both_binaries(binary, skilllite, skilllite_sandbox):
    run = skilllite if binary == "skilllite" else skilllite_sandbox
    r = run("run", CALC, '{"operation": "power", "a": 2, "b": 10}')
    assert (r.code, r.out) == (0, '{"result": 1024}\n'), r
    r = run("run", "--json", "--timeout", "1", CALC)
    assert r.json()["sandbox"]["limits"]["timeout_ms"] == 1000
    r = run("run", CALC, "{")
    assert r.code == 2
    r = run("run", CALC, env={"SKILLLITE_TEST_DISABLE": "landlock"})
    assert r.code == 4


def test_plain_mode_streams_stderr_once(skilllite, make_skill):
    """Without --json the skill's stderr reaches ours as it is written, exactly once; with --json
    it is only in the envelope."""
    d = py_skill(make_skill, "talker",
                 "import sys\nsys.stderr.write('step one\\n')\nsys.stderr.flush()\n"
                 "sys.stderr.write('step two\\n')\nprint('{}')\n")
    r = skilllite("run", d)
    assert r.code == 0, r
    assert r.err.count("step one\n") == 1 and r.err.count("step two\n") == 1, r
    j = skilllite("run", "--json", d)
    assert "step one" not in j.err, j
    assert j.json()["stderr"] == "step one\nstep two\n"
