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

hits, notes = [], []
for p in ("/dev/mem", "/dev/kmem", "/dev/port"):
    try:
        fd = os.open(p, os.O_RDONLY)
        hits.append(p)
        os.close(fd)
    except OSError as e:
        notes.append("%s: %s" % (p, err(e)))
if hits:
    escaped("opened %s" % hits)
denied("; ".join(notes))
