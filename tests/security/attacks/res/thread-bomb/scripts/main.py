import json, os, sys

INP = json.loads(sys.stdin.read() or "{}")


def emit(outcome, detail):
    sys.stdout.write(json.dumps({"outcome": outcome, "detail": str(detail)[:2000]}) + "\n")
    sys.stdout.flush()
    os._exit(0)


def denied(detail):
    emit("denied", detail)


def escaped(detail):
    emit("escaped", detail)


def err(e):
    if isinstance(e, OSError) and e.errno:
        import errno
        return errno.errorcode.get(e.errno, str(e.errno))
    return "%s: %s" % (type(e).__name__, e)

import threading
ev = threading.Event()
n = 0
try:
    for i in range(2000):
        t = threading.Thread(target=ev.wait, daemon=True)
        t.start()
        n += 1
except (RuntimeError, OSError) as e:
    denied("thread creation refused after %d threads: %s" % (n, e))
escaped("started %d threads" % n)
