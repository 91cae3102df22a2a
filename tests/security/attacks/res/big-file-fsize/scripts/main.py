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

p = os.path.join(os.environ.get("TMPDIR", "/tmp"), "big")
try:
    with open(p, "wb") as f:
        f.seek(4 << 30)
        f.write(b"x")
        f.flush()
except OSError as e:
    denied("write at 4 GiB: %s" % err(e))
escaped("file size now %d" % os.path.getsize(p))
