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

host_only = set(INP.get("host_root_only", []))
try:
    ents = os.listdir("/")
except OSError as e:
    denied("listdir /: %s" % err(e))
leaked = sorted(host_only & set(ents))
if leaked:
    escaped("host root entries visible: %s" % leaked)
denied("listing shows only the sandbox's own root: %s" % sorted(ents))
