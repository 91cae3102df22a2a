"""`exec` (one script of a skill) and `bash` (commands of bash-tool skills), both in the sandbox."""
import json
import os

import pytest

from conftest import SKILLS

UNIT = SKILLS / "unit-converter"


# --- exec -------------------------------------------------------------------------------------


@pytest.mark.parametrize("script,request_,expected", [
    ("scripts/length.py", {"value": 5, "from": "km", "to": "mi"}, 3.10685596119),
    ("scripts/mass.py", {"value": 1, "from": "kg", "to": "lb"}, 2.20462262185),
    ("scripts/temperature.py", {"value": 100, "from": "C", "to": "F"}, 212.0),
])
def test_exec_each_unit_converter_script(skilllite, script, request_, expected):
    r = skilllite("exec", UNIT, script, json.dumps(request_))
    assert r.code == 0, r
    assert json.loads(r.out) == {**request_, "result": expected}
    env = skilllite("exec", "--json", UNIT, script, "-", input=json.dumps(request_)).json()
    assert env["ok"] is True
    assert env["output"]["result"] == expected
    assert env["sandbox"]["level"] == 3


def test_exec_default_input(skilllite):
    r = skilllite("exec", UNIT, "scripts/length.py")
    assert r.code == 0, r
    assert "error" in json.loads(r.out)  # {} is not a conversion request; the script says so


def test_exec_wrong_unit_is_data_not_failure(skilllite):
    r = skilllite("exec", UNIT, "scripts/mass.py", '{"value": 5, "from": "km", "to": "mi"}')
    assert r.code == 0, r
    assert json.loads(r.out)["error"].startswith("from must be a mass unit")


def test_exec_at_level_1(skilllite):
    r = skilllite("exec", "--sandbox-level", "1", UNIT, "scripts/length.py",
                  '{"value": 1, "from": "mi", "to": "km"}')
    assert r.code == 0, r
    assert json.loads(r.out)["result"] == 1.609344
    assert "WITHOUT isolation" in r.err


def test_exec_invalid_input(skilllite):
    r = skilllite("exec", UNIT, "scripts/length.py", "{nope")
    assert r.code == 2, r


def test_exec_usage(skilllite):
    assert skilllite("exec", UNIT).code == 2
    assert skilllite("exec", UNIT, "scripts/length.py", "{}", "{}").code == 2


def outside_skill(make_skill, tmp_path):
    """A skill whose scripts/ holds symlinks that lead out of it, to a script that would leave a
    marker on the host if it ever ran (the runs use level 1, where it could)."""
    marker = tmp_path / "RAN"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.py").write_text(f"open({str(marker)!r}, 'w').write('x')\nprint('{{}}')\n")
    d = make_skill("escape", "name: escape\ndescription: Symlinks out.\n",
                   files={"scripts/main.py": "print('{}')\n"})
    os.symlink(outside / "evil.py", d / "scripts" / "abs.py")
    os.symlink("../../outside/evil.py", d / "scripts" / "rel.py")
    os.symlink(outside, d / "linkdir")
    return d, marker


@pytest.mark.parametrize("script,code,message", [
    ("../outside/evil.py", 2, "must be a relative path inside the skill"),
    ("scripts/../../outside/evil.py", 2, "must be a relative path inside the skill"),
    ("scripts/../scripts/main.py", 2, "must be a relative path inside the skill"),
    ("ABSOLUTE", 2, "must be a relative path inside the skill"),
    ("scripts/abs.py", 3, "resolves outside the skill directory"),
    ("scripts/rel.py", 3, "resolves outside the skill directory"),
    ("linkdir/evil.py", 3, "resolves outside the skill directory"),
])
def test_exec_escaping_paths_are_refused(skilllite, make_skill, tmp_path, script, code, message):
    d, marker = outside_skill(make_skill, tmp_path)
    if script == "ABSOLUTE":
        script = str(tmp_path / "outside" / "evil.py")
    for level in ("1", "3"):
        r = skilllite("exec", "--sandbox-level", level, d, script)
        # a '..' step can spuriously fail with EAGAIN while anything on the machine renames files:
        # that engine bug is test_exec_refusal_is_stable_under_concurrent_renames; retry here
        for _ in range(10):
            if "Resource temporarily unavailable" not in r.err:
                break
            r = skilllite("exec", "--sandbox-level", level, d, script)
        assert r.code == code, r
        assert message in r.err
        assert r.out == ""
        assert not marker.exists()


@pytest.mark.parametrize("script,message", [
    ("SKILL.md", "is not a Python, JavaScript/TypeScript or shell script"),
    ("scripts", "is not a Python, JavaScript/TypeScript or shell script"),
    ("scripts/nope.py", "No such file or directory"),
])
def test_exec_non_script_is_usage_error(skilllite, make_skill, script, message):
    d = make_skill("nonscript", "name: nonscript\ndescription: Has a helper outside scripts/.\n",
                   files={"scripts/main.py": "print('{}')\n", "helper.py": "print('{}')\n"})
    r = skilllite("exec", d, script)
    assert r.code == 2, r
    assert message in r.err


@pytest.mark.parametrize("script", ["helper.py", "scripts/inner.py"])
def test_exec_any_script_inside_the_skill(skilllite, make_skill, script):
    """exec takes any script that resolves inside the skill: outside scripts/, or a symlink to
    a script of the skill."""
    d = make_skill("anyscript", "name: anyscript\ndescription: Has a helper outside scripts/.\n",
                   files={"scripts/main.py": "print('{\"main\": 1}')\n", "helper.py": "print('{\"helper\": 1}')\n"})
    os.symlink("main.py", d / "scripts" / "inner.py")
    r = skilllite("exec", d, script)
    assert r.code == 0, r
    assert r.out == ('{"helper": 1}\n' if script == "helper.py" else '{"main": 1}\n')


def test_exec_in_prompt_only_skill(skilllite):
    r = skilllite("exec", SKILLS / "writing-guide", "SKILL.md")
    assert r.code == 2, r


def test_exec_node_and_shell_scripts(skilllite):
    r = skilllite("exec", SKILLS / "json-formatter", "scripts/main.js",
                  '{"operation": "validate", "json": "[1]"}')
    assert r.code == 0, r
    assert json.loads(r.out) == {"operation": "validate", "valid": True, "type": "array", "depth": 1}
    r = skilllite("exec", SKILLS / "hash-text", "scripts/main.sh", '{"operation": "md5", "text": ""}')
    assert r.code == 0, r
    assert json.loads(r.out) == {"operation": "md5", "result": "d41d8cd98f00b204e9800998ecf8427e"}


# --- bash -------------------------------------------------------------------------------------


def bash_skill(make_skill, tools, name="bt"):
    return make_skill(name, f"name: {name}\ndescription: A bash-tool skill.\nallowed-tools: {tools}\n")


def test_bash_echo_runs_inside_sandbox(skilllite, make_skill):
    d = bash_skill(make_skill, "Bash(echo:*)")
    r = skilllite("bash", d, "echo hello $SKILLLITE_SANDBOX $HOME $TMPDIR")
    assert r.code == 0, r
    assert r.out == '{"stdout":"hello 1 /sandbox/home /sandbox/tmp\\n","stderr":"","exit_code":0}\n'


def test_bash_cat_sees_sandbox_hostname(skilllite, make_skill):
    d = bash_skill(make_skill, "Bash(cat:*)")
    r = skilllite("bash", d, "cat /etc/hostname")
    assert r.code == 0, r
    assert json.loads(r.out) == {"stdout": "sandbox\n", "stderr": "", "exit_code": 0}
    # and at level 1 the same command runs on the host
    r = skilllite("bash", "--sandbox-level", "1", d, "cat /etc/hostname")
    assert r.code == 0, r
    with open("/etc/hostname") as f:
        assert json.loads(r.out)["stdout"] == f.read()


def test_bash_two_prefixes(skilllite, make_skill):
    d = bash_skill(make_skill, "Bash(ls:*) Bash(wc:*)")
    r = skilllite("bash", d, "wc -c /etc/hostname")
    assert r.code == 0, r
    assert json.loads(r.out) == {"stdout": "8 /etc/hostname\n", "stderr": "", "exit_code": 0}
    r = skilllite("bash", d, "ls /skill")
    assert json.loads(r.out) == {"stdout": "SKILL.md\n", "stderr": "", "exit_code": 0}


def test_bash_json_envelope(skilllite, make_skill):
    d = bash_skill(make_skill, "Bash(echo:*)")
    r = skilllite("bash", "--json", d, "echo hi")
    assert r.code == 0, r
    env = r.json()
    assert env["ok"] is True
    assert env["exit_code"] == 0
    assert env["reason"] == "ok"
    assert env["output"] == {"stdout": "hi\n", "stderr": "", "exit_code": 0}
    assert env["stdout"] == "hi\n"
    assert env["sandbox"]["isolated"] is True
    assert env["sandbox"]["seccomp"]["process_creation"] is True
    assert env["sandbox"]["exec_allowed"][-1] in ("/usr/bin/echo", "/bin/echo")


def test_bash_failing_tool_is_data(skilllite, make_skill):
    d = bash_skill(make_skill, "Bash(cat:*)")
    r = skilllite("bash", d, "cat /nonexistent")
    assert r.code == 0, r
    out = json.loads(r.out)
    assert out["exit_code"] == 1
    assert out["stdout"] == ""
    assert out["stderr"] == "cat: /nonexistent: No such file or directory\n"
    env = skilllite("bash", "--json", d, "cat /nonexistent").json()
    assert (env["ok"], env["exit_code"], env["reason"]) == (True, 0, "exit")
    assert env["output"]["exit_code"] == 1


def test_bash_timeout(skilllite, make_skill):
    d = bash_skill(make_skill, "Bash(sleep:*)")
    r = skilllite("bash", "--json", "--timeout", "1", d, "sleep 30")
    assert r.code == 5, r
    env = r.json()
    assert (env["ok"], env["reason"]) == (False, "timeout")
    assert 1000 <= env["duration_ms"] <= 3000


@pytest.mark.parametrize("command,shown", [
    ("touch {m};id", ";"), ("touch {m} && id", "&"), ("touch {m} & id", "&"), ("touch {m} | id", "|"),
    ("touch {m} || id", "|"), ("touch {m} `id`", "`"), ("touch {m} $(id)", "$("),
    ("touch {m} ${{HOME}}", "${"), ("touch {m} $((1+1))", "$("), ("touch {m} > x", ">"),
    ("touch {m} >> x", ">"), ("touch {m} < /etc/passwd", "<"), ("touch {m} <(id)", "<"),
    ("touch {m}\nid", "\\n"), ("touch {m}\rid", "\\r"), ("touch {m} 'quoted;'", ";"),
])
def test_bash_forbidden_syntax_is_refused(skilllite, make_skill, tmp_path, command, shown):
    """Refused before anything runs, even at level 1 where the command could touch the host."""
    marker = tmp_path / "RAN"
    d = bash_skill(make_skill, "Bash(touch:*)")
    command = command.format(m=marker)
    for level in ("3", "1"):
        r = skilllite("bash", "--sandbox-level", level, d, command)
        assert r.code == 3, r
        assert r.err == (f"skilllite: error: the command contains '{shown}', which bash-tool "
                         "commands may not use\n")
        assert r.out == ""
        assert not marker.exists()


@pytest.mark.parametrize("command", ["echoo hi", "ech hi", "cat /etc/hostname", "ls", "/bin/echo hi",
                                     "./echo hi", "x echo hi", "Echo hi"])
def test_bash_prefix_must_match_a_whole_word(skilllite, make_skill, command):
    d = bash_skill(make_skill, "Bash(echo:*)")
    r = skilllite("bash", d, command)
    assert r.code == 3, r
    assert "does not start with an allowed prefix" in r.err


@pytest.mark.parametrize("command,stdout", [("echo", "\n"), ("  echo  spaced", "spaced\n"),
                                            ("echo\ttab", "tab\n"), ("echo 'a  b' \"c\"", "a  b c\n"),
                                            ("echo $HOME", "/sandbox/home\n"), ("echo {a,b}", "a b\n")])
def test_bash_allowed_forms(skilllite, make_skill, command, stdout):
    d = bash_skill(make_skill, "Bash(echo:*)")
    r = skilllite("bash", d, command)
    assert r.code == 0, r
    assert json.loads(r.out) == {"stdout": stdout, "stderr": "", "exit_code": 0}


def test_bash_multi_word_prefix(skilllite, make_skill):
    d = bash_skill(make_skill, "Bash(echo hello:*)")
    r = skilllite("bash", d, "echo hello world")
    assert r.code == 0, r
    assert json.loads(r.out)["stdout"] == "hello world\n"
    assert skilllite("bash", d, "echo hello").code == 0
    assert skilllite("bash", d, "echo bye").code == 3
    assert skilllite("bash", d, "echo helloworld").code == 3


def test_bash_empty_command(skilllite, make_skill):
    d = bash_skill(make_skill, "Bash(echo:*)")
    r = skilllite("bash", d, "")
    assert r.code == 2, r
    assert "the command is empty" in r.err


def test_bash_on_non_bash_tool_skill(skilllite):
    for skill in ("calculator", "writing-guide", "unit-converter"):
        r = skilllite("bash", SKILLS / skill, "echo hi")
        assert r.code == 2, r
        assert "is not a bash-tool skill" in r.err


def test_bash_on_invalid_skill(skilllite, tmp_path):
    r = skilllite("bash", tmp_path / "missing", "echo hi")
    assert r.code == 2, r


def test_bash_tool_not_installed(skilllite, make_skill):
    d = bash_skill(make_skill, "Bash(no-such-tool-xyz:*)")
    r = skilllite("bash", d, "no-such-tool-xyz --version")
    assert r.code == 1, r
    assert "the allowed tool 'no-such-tool-xyz' is not installed on this host" in r.err


def test_bash_usage(skilllite, make_skill):
    d = bash_skill(make_skill, "Bash(echo:*)")
    assert skilllite("bash", d).code == 2
    assert skilllite("bash", d, "echo", "extra").code == 2


@pytest.mark.parametrize("command", ["env sh -c id", "env cat /etc/hostname", "env /usr/bin/id"])
def test_bash_only_the_allowed_tool_is_executable(skilllite, make_skill, command):
    d = bash_skill(make_skill, "Bash(env:*)")
    r = skilllite("bash", d, command)
    assert r.code == 0, r
    out = json.loads(r.out)
    assert out["exit_code"] == 126, out
    assert "Permission denied" in out["stderr"]
    assert out["stdout"] == ""


def test_bash_env_tool_sees_only_the_allowlist(skilllite, make_skill):
    d = bash_skill(make_skill, "Bash(env:*)")
    r = skilllite("bash", d, "env", env={"OPENAI_API_KEY": "sk-canary-bash"})
    assert r.code == 0, r
    out = json.loads(r.out)
    assert "sk-canary-bash" not in r.out
    names = {line.split("=", 1)[0] for line in out["stdout"].splitlines()}
    # bash adds PWD, SHLVL and _ itself
    assert names - {"PWD", "SHLVL", "_"} == {
        "PATH", "HOME", "TMPDIR", "LANG", "USER", "LOGNAME", "PYTHONDONTWRITEBYTECODE",
        "PYTHONIOENCODING", "SKILLLITE_SANDBOX", "SKILLBOX_SANDBOX", "SKILLLITE_SKILL_DIR",
        "SKILLLITE_NETWORK_DISABLED"}


def test_bash_filter_cannot_be_bypassed_through_the_shell(skilllite, make_skill):
    d = bash_skill(make_skill, "Bash(env:*)")
    r = skilllite("bash", d, "env bash -c $'echo first\\x3b echo second'")
    assert r.code in (0, 3), r
    if r.code == 0:
        out = json.loads(r.out)
        assert "second" not in out["stdout"]
        assert out["exit_code"] == 126


RENAMER = """
import os, sys, time
d = sys.argv[1]
open(os.path.join(d, "a"), "w").close()
end = time.time() + 20
while time.time() < end:
    os.rename(os.path.join(d, "a"), os.path.join(d, "b"))
    os.rename(os.path.join(d, "b"), os.path.join(d, "a"))
"""


def test_exec_refusal_is_stable_under_concurrent_renames(skilllite, make_skill, tmp_path):
    import subprocess
    import sys
    d, marker = outside_skill(make_skill, tmp_path)
    spin = tmp_path / "spin"
    spin.mkdir()
    renamer = subprocess.Popen([sys.executable, "-c", RENAMER, str(spin)])
    bad = []
    try:
        while not (spin / "a").exists() and not (spin / "b").exists():
            pass  # the renamer is running
        for _ in range(300):  # a few seconds at most; the bug shows within a handful of runs
            r = skilllite("exec", d, "scripts/rel.py")
            if r.code != 3:
                bad.append(r)
                break
    finally:
        renamer.kill()
        renamer.wait()
    assert bad == []
    assert not marker.exists()
