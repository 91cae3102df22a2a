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

with open("/proc/self/cgroup") as f:
    lines = [l.strip() for l in f if l.strip()]
bad = [l for l in lines if l.split(":", 2)[2] != "/"]
if bad:
    escaped("host cgroup paths visible: %s" % bad)
denied("all cgroup paths are /: %s" % lines)
