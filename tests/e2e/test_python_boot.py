"""The Python entry shim (src/policy/python_boot.c): a script started through it behaves as under
`python3 SCRIPT` - same stdout, stderr and exit status, byte for byte - except that the
interpreter's teardown is skipped. The shim under test is the one the engine really uses: read
from `explain --json`."""
import json
import os
import re
import signal
import subprocess

import pytest

PY = "/usr/bin/python3"

# name -> script; each is run with argument "arg1" and stdin b"in"
PROBES = {
    "globals_argv_path": '"""doc"""\nimport sys\nx: int = 1\n'
                         'print(sorted(globals()), __name__, __file__, __doc__, __cached__, __spec__,\n'
                         '      type(__loader__).__name__, __annotations__)\n'
                         'print(sys.argv, sys.path[0])\nimport helper\nprint(helper.V)\n',
    "exit_3": "import sys\nsys.exit(3)\n",
    "exit_message": 'import sys\nprint("out")\nsys.exit("bye")\n',
    "exit_none": 'import sys\nprint("x")\nsys.exit(None)\n',
    "exit_263": "import sys\nsys.exit(256 + 7)\n",
    "exit_true": "import sys\nsys.exit(True)\n",
    "exit_minus_1": "import sys\nsys.exit(-1)\n",
    "exit_minus_2": "import sys\nsys.exit(-2)\n",
    "raise_systemexit_in_function": "def f():\n    raise SystemExit(4)\nf()\n",
    "uncaught_exception": 'def f():\n    raise ValueError("boom")\nf()\n',
    "chained_exception": 'try:\n    1/0\nexcept Exception as e:\n    raise KeyError("k") from e\n',
    "syntax_error": "def (\n",
    "atexit_output": 'import atexit\natexit.register(lambda: print("atexit ran"))\nprint("main")\n',
    "atexit_exception": 'import atexit\ndef bad():\n    raise RuntimeError("in atexit")\n'
                        'atexit.register(bad)\nprint("main")\n',
    "thread_joined": 'import threading, time\ndef w():\n    time.sleep(0.1)\n    print("thread done")\n'
                     'threading.Thread(target=w).start()\nprint("main")\n',
    "big_buffered_output": 'import sys\nsys.stdout.write("a" * 1000000)\nsys.stderr.write("e" * 100000)\n',
    "stdout_swapped": 'import sys, io\nsys.stdout = io.StringIO()\nprint("hidden")\nsys.__stdout__.write("real\\n")\n',
    "stdout_closed": 'import sys\nprint("x", flush=True)\nsys.stdout.close()\n',
    "pickle_main_class": 'import sys, pickle\nclass A: pass\n'
                         'print(len(pickle.dumps(A())) > 0, sys.modules["__main__"].A is A)\n',
    "coding_cookie": b'# -*- coding: latin-1 -*-\nprint("\xe9")\n',
    "stdin_read": "import sys\nprint(repr(sys.stdin.read()))\n",
    "no_names_leak": 'print([k for k in dir() if "skilllite" in k or k == "sys"])\n',
    "warnings": 'import warnings\nwarnings.warn("careful")\nprint("after")\n',
    "keyboard_interrupt": "raise KeyboardInterrupt\n",
    # The shim compiles through exec() and then renames the code (python_boot.c): every code
    # object, however nested, carries the script's path, and no profile hook is left behind.
    "code_filenames": 'import sys, inspect\nclass A:\n    def m(self):\n        return lambda: [x for x in (1,)]\n'
                      'def g():\n    yield 1\n'
                      'print(sorted({c.co_filename for c in (A.m.__code__, A().m().__code__, g.__code__,\n'
                      '                                      inspect.currentframe().f_code)}),\n'
                      '      sys.getprofile(), sys.gettrace(), inspect.stack()[0].filename == __file__)\n',
    "cp1252_cookie": b'# -*- coding: cp1252 -*-\nprint("\x80")\n',
    "profile_hook_in_script": 'import sys\ncalls = []\nsys.setprofile(lambda f, e, a: calls.append(e))\n'
                              'def f():\n    pass\nf()\nsys.setprofile(None)\nprint(calls[:3])\n',
    "syntax_error_after_many_lines": "x = 1\n" * 50 + "print(x\n",
}


@pytest.fixture(scope="module")
def boot(tmp_path_factory, skilllite_module):
    d = tmp_path_factory.mktemp("bootskill") / "probe"
    (d / "scripts").mkdir(parents=True)
    (d / "SKILL.md").write_text("---\nname: probe\ndescription: Probe.\n---\n")
    (d / "scripts" / "main.py").write_text("print(1)\n")
    r = skilllite_module("explain", "--json", "--sandbox-level", "2", d)
    assert r.code == 0, r
    argv = r.json()["argv"]
    assert argv[1] == "-c" and argv[3] == "/skill/scripts/main.py", argv
    return argv[2]


@pytest.fixture(scope="module")
def skilllite_module():
    from conftest import _run
    return lambda *a, **kw: _run("skilllite", *a, **kw)


def _both(boot, script, tmp_path):
    results = []
    for argv in ([PY, str(script), "arg1"], [PY, "-c", boot, str(script), "arg1"]):
        p = subprocess.run(argv, input=b"in", capture_output=True, cwd=tmp_path, timeout=30,
                           env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        # object addresses differ between any two processes
        results.append((p.returncode, p.stdout, re.sub(rb"0x[0-9a-f]+", b"0x?", p.stderr)))
    return results


@pytest.mark.parametrize("name", sorted(PROBES))
def test_shim_behaves_like_python(boot, tmp_path, name):
    d = tmp_path / "scripts"
    d.mkdir()
    (d / "helper.py").write_text("V = 42\n")
    content = PROBES[name]
    script = d / "main.py"
    (script.write_bytes if isinstance(content, bytes) else script.write_text)(content)
    bare, shim = _both(boot, script, tmp_path)
    assert shim == bare


def test_shim_behaves_like_python_for_a_symlinked_script_and_a_missing_one(boot, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "main.py").write_text("import sys\nimport helper\nprint(sys.path[0], sys.argv)\n")
    (real / "helper.py").write_text("")
    link = tmp_path / "link.py"
    link.symlink_to(real / "main.py")
    bare, shim = _both(boot, link, tmp_path)
    assert shim == bare and bare[0] == 0 and str(real).encode() in bare[1]
    bare, shim = _both(boot, tmp_path / "missing.py", tmp_path)
    assert shim == bare and bare[0] == 2


def test_keyboard_interrupt_ends_by_sigint_as_python_does(boot, tmp_path):
    script = tmp_path / "kbi.py"
    script.write_text(PROBES["keyboard_interrupt"])
    bare, shim = _both(boot, script, tmp_path)
    assert bare[0] == -signal.SIGINT and shim == bare


def test_teardown_is_what_is_skipped(boot, tmp_path):
    """The one difference, on purpose: objects still alive at exit are not finalized."""
    script = tmp_path / "d.py"
    script.write_text('class D:\n    def __del__(self):\n        print("finalized")\nd = D()\nprint("main")\n')
    bare, shim = _both(boot, script, tmp_path)
    assert bare == (0, b"main\nfinalized\n", b"")
    assert shim == (0, b"main\n", b"")


def _skill(make_skill, script):
    return make_skill("probe", "name: probe\ndescription: Probe.\n",
                      files={"scripts/main.py": script, "scripts/helper.py": "V = 42\n"})


def test_in_the_sandbox_the_script_sees_what_python_gives_it(skilllite, make_skill):
    d = _skill(make_skill, 'import sys, json, atexit, threading, time, helper\n'
                           'atexit.register(lambda: print("atexit"))\n'
                           'def w():\n    time.sleep(0.05)\n    print("thread")\n'
                           'threading.Thread(target=w).start()\n'
                           'print(json.dumps({"argv": sys.argv, "path0": sys.path[0], "file": __file__,\n'
                           '                  "name": __name__, "v": helper.V, "in": sys.stdin.read()}))\n'
                           'sys.exit(5)\n')
    r = skilllite("run", "--json", "--sandbox-level", "2", d, '{"k": 1}')
    env = r.json()
    assert env["reason"] == "exit" and env["error"] == "the skill exited with status 5", r
    first, *rest = env["stdout"].splitlines()
    assert json.loads(first) == {"argv": ["/skill/scripts/main.py"], "path0": "/skill/scripts",
                                 "file": "/skill/scripts/main.py", "name": "__main__", "v": 42,
                                 "in": '{"k": 1}'}
    assert rest == ["thread", "atexit"]


def test_an_uncaught_exception_in_the_sandbox_has_python_s_traceback(skilllite, make_skill):
    d = _skill(make_skill, 'def f():\n    raise ValueError("boom")\nf()\n')
    env = skilllite("run", "--json", "--sandbox-level", "2", d).json()
    assert env["error"] == "the skill exited with status 1"
    assert env["stderr"] == ('Traceback (most recent call last):\n'
                             '  File "/skill/scripts/main.py", line 3, in <module>\n    f()\n'
                             '  File "/skill/scripts/main.py", line 2, in f\n'
                             '    raise ValueError("boom")\nValueError: boom\n')


@pytest.mark.parametrize("level", ["1", "2"])
def test_fast_exit_0_starts_scripts_plainly(skilllite, make_skill, level):
    d = _skill(make_skill, 'class D:\n    def __del__(self):\n        print("finalized")\nd = D()\n'
                           'print("main")\n')
    plain = {"SKILLLITE_PYTHON_FAST_EXIT": "0"}
    argv = skilllite("explain", "--json", "--sandbox-level", level, d, env=plain).json()["argv"]
    assert len(argv) == 2 and argv[1].endswith("/scripts/main.py"), argv
    run = ("run", "--json", "--sandbox-level", level, "--yes", d)
    assert skilllite(*run, env=plain).json()["stdout"] == "main\nfinalized\n"
    assert skilllite(*run).json()["stdout"] == "main\n"


def test_the_shim_is_not_used_for_other_languages_or_bash(skilllite, make_skill):
    d = make_skill("sh", "name: sh\ndescription: Shell.\n", files={"scripts/main.sh": "echo hi\n"})
    argv = skilllite("explain", "--json", "--sandbox-level", "2", d).json()["argv"]
    assert "-c" not in argv and argv[-1] == "/skill/scripts/main.sh"
    assert os.path.basename(argv[0]) in ("bash", "sh", "dash")
