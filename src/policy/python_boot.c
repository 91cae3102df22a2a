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
        "    del g[\"_skilllite_boot\"], g[\"sys\"]\n"
        "    del sys.argv[0]\n"
        "    path = sys.argv[0]\n"
        "    import os\n"
        "    code = 0\n"
        "    interrupted = False\n"
        "    try:\n"
        "        try:\n"
        "            with open(path, \"rb\") as f:\n"
        "                source = f.read()\n"
        "        except OSError as e:\n"
        "            sys.stderr.write(\"%s: can't open file %r: [Errno %d] %s\\n\" % (sys.executable, path, e.errno, e.strerror))\n"
        "            sys.stderr.flush()\n"
        "            os._exit(2)\n"
        "        sys.path[0] = os.path.dirname(os.path.realpath(path))\n"
        "        g[\"__file__\"] = path\n"
        "        g[\"__cached__\"] = None\n"
        "        try:\n"
        "            g[\"__loader__\"] = sys.modules[\"_frozen_importlib_external\"].SourceFileLoader(\"__main__\", path)\n"
        "        except Exception:\n"
        "            pass\n"
        "        exec(compile(source, path, \"exec\", dont_inherit=True), g)\n"
        "    except SystemExit as e:\n"
        "        code = e.code\n"
        "        if code is None:\n"
        "            code = 0\n"
        "        elif not isinstance(code, int):\n"
        "            try:\n"
        "                sys.stderr.write(str(code) + \"\\n\")\n"
        "            except Exception:\n"
        "                pass\n"
        "            code = 1\n"
        "    except BaseException as e:\n"
        "        code = 1\n"
        "        try:\n"
        "            sys.excepthook(type(e), e, e.with_traceback(e.__traceback__.tb_next).__traceback__)\n"
        "        except BaseException:\n"
        "            pass\n"
        "        interrupted = isinstance(e, KeyboardInterrupt)\n"
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
        "    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):\n"
        "        try:\n"
        "            if stream is not None and not getattr(stream, \"closed\", False):\n"
        "                stream.flush()\n"
        "        except BaseException:\n"
        "            if stream is sys.stdout or stream is sys.__stdout__:\n"
        "                code = 120\n"
        "    if interrupted:\n"
        "        import signal\n"
        "        signal.signal(signal.SIGINT, signal.SIG_DFL)\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "    os._exit(code if -2**31 <= code < 2**31 else -1)\n"
        "_skilllite_boot(sys)\n";
