/* The Python entry shim: how a Python script is started in the sandbox (and at level 1).
 *
 * The interpreter runs `python3 -c PYTHON_BOOT SCRIPT ARGS...`. The shim runs SCRIPT exactly as
 * `python3 SCRIPT ARGS...` would - in the real __main__ module, with sys.argv, sys.path[0],
 * __file__, __cached__ and __loader__ as CPython sets them, its own names removed from __main__
 * before the script starts, tracebacks without its frame - and then ends the process the way
 * Py_FinalizeEx begins: non-daemon threads joined (threading._shutdown), atexit handlers run,
 * sys.stdout/sys.stderr flushed (exit status 120 when stdout cannot be flushed, as CPython),
 * exit status from SystemExit as CPython computes it, an uncaught KeyboardInterrupt ends by SIGINT.
 * Then os._exit: the interpreter's own teardown (module clean-up, garbage collection of every
 * object, freeing the heap) is skipped. That teardown takes 2.5-4 ms on this machine kind for a
 * script that imports json (docs/BENCHMARKS.md), and nothing of it can leave the sandbox: its
 * files are thrown away with it, and stdout/stderr are flushed above.
 *
 * How SCRIPT is compiled (a CPython trap): the builtin compile() first asks PyAST_Check whether
 * its argument is an AST node, and that builds all ~120 classes of the ast module on its first
 * call - 7 million instructions, ~1 ms here, paid by nobody who runs `python3 SCRIPT`. exec() of
 * source compiles without that check but names the code '<string>'. So the shim execs the source
 * with a profile hook that takes the new module's code object at its first event and raises
 * before any of it runs, then renames every code object in it to SCRIPT's path with
 * _imp._fix_co_filename (what importlib does for moved .pyc files) and runs that. The hook only
 * takes a '<module>' frame named '<string>' called directly from the shim (a coding cookie can
 * make the parser call Python codec functions first); exec("0") goes first, and if the hook does
 * not fire for it, or the source does not compile (its SyntaxError must name SCRIPT), compile()
 * does the work as before. callgrind, a script that imports os and leaves by os._exit: 35.5 -> 29.2 M
 * instructions (25.9 M as `python3 SCRIPT`; most of the rest is compiling the shim's own text).
 *
 * What a script can tell: inspect.stack() shows two more frames below its module ('<string>' and
 * _skilllite_boot), sys.orig_argv shows the shim, and files it left open unflushed, or objects
 * whose __del__ would have run at teardown (CPython does not promise that either), are not
 * finalized. SKILLLITE_PYTHON_FAST_EXIT=0 starts scripts plainly (docs/ENV.md).
 * tests/e2e/test_python_boot.py runs a set of scripts both ways and compares every byte. */
#include "python_boot.h"

const char PYTHON_BOOT[] =
        "import sys\n"
        "def _skilllite_boot(sys):\n"
        "    g = sys.modules[\"__main__\"].__dict__\n"
        "    del g[\"_skilllite_boot\"], g[\"sys\"], sys.argv[0]\n"
        "    import os\n"
        "    p = sys.argv[0]\n"
        "    c = 0\n"
        "    i = False\n"
        "    try:\n"
        "        try:\n"
        "            with open(p, \"rb\") as f:\n"
        "                s = f.read()\n"
        "        except OSError as e:\n"
        "            sys.stderr.write(\"%s: can't open file %r: [Errno %d] %s\\n\" % (sys.executable, p, e.errno, e.strerror))\n"
        "            sys.stderr.flush()\n"
        "            os._exit(2)\n"
        "        sys.path[0] = os.path.dirname(os.path.realpath(p))\n"
        "        g[\"__file__\"] = p\n"
        "        g[\"__cached__\"] = None\n"
        "        try:\n"
        "            g[\"__loader__\"] = sys.modules[\"_frozen_importlib_external\"].SourceFileLoader(\"__main__\", p)\n"
        "        except Exception:\n"
        "            pass\n"
        "        m = sys._getframe()\n"
        "        k = []\n"
        "        def h(f, e, a):\n"
        "            if e == \"call\" and f.f_back is m and f.f_code.co_name == \"<module>\" and f.f_code.co_filename == \"<string>\":\n"
        "                k.append(f.f_code)\n"
        "                raise SystemError\n"
        "        for t in \"0\", s:\n"
        "            n = len(k)\n"
        "            sys.setprofile(h)\n"
        "            try:\n"
        "                exec(t, {})\n"
        "            except BaseException:\n"
        "                pass\n"
        "            sys.setprofile(None)\n"
        "            if len(k) == n:\n"
        "                break\n"
        "        del m, h\n"
        "        if len(k) == 2:\n"
        "            k = k[1]\n"
        "            sys.modules[\"_imp\"]._fix_co_filename(k, p)\n"
        "        else:\n"
        "            k = compile(s, p, \"exec\", dont_inherit=True)\n"
        "        exec(k, g)\n"
        "    except SystemExit as e:\n"
        "        c = e.code\n"
        "        if c is None:\n"
        "            c = 0\n"
        "        elif not isinstance(c, int):\n"
        "            try:\n"
        "                sys.stderr.write(str(c) + \"\\n\")\n"
        "            except Exception:\n"
        "                pass\n"
        "            c = 1\n"
        "    except BaseException as e:\n"
        "        c = 1\n"
        "        try:\n"
        "            sys.excepthook(type(e), e, e.with_traceback(e.__traceback__.tb_next).__traceback__)\n"
        "        except BaseException:\n"
        "            pass\n"
        "        i = isinstance(e, KeyboardInterrupt)\n"
        "    del g\n"
        "    try:\n"
        "        if \"threading\" in sys.modules:\n"
        "            sys.modules[\"threading\"]._shutdown()\n"
        "    except BaseException:\n"
        "        pass\n"
        "    try:\n"
        "        import atexit\n"
        "        atexit._run_exitfuncs()\n"
        "    except BaseException:\n"
        "        pass\n"
        "    for t in sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__:\n"
        "        try:\n"
        "            if t is not None and not getattr(t, \"closed\", False):\n"
        "                t.flush()\n"
        "        except BaseException:\n"
        "            if t is sys.stdout or t is sys.__stdout__:\n"
        "                c = 120\n"
        "    if i:\n"
        "        import signal\n"
        "        signal.signal(signal.SIGINT, signal.SIG_DFL)\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "    os._exit(c if -2**31 <= c < 2**31 else -1)\n"
        "_skilllite_boot(sys)\n";
