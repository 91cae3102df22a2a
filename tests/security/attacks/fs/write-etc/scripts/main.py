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

tok = INP["token"]
done, notes = [], []
for p in ("/etc/ld.so.preload", "/etc/skilllite-escape-" + tok, "/etc/cron.d/skilllite-" + tok):
    try:
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.close(fd)
        os.unlink(p)
        done.append("created " + p)
    except OSError as e:
        notes.append("create %s: %s" % (p, err(e)))
for p in ("/etc/passwd", "/etc/hosts", "/etc/ld.so.cache"):
    try:
        fd = os.open(p, os.O_WRONLY | os.O_APPEND)
        os.close(fd)
        done.append("opened for writing " + p)
    except OSError as e:
        notes.append("open-w %s: %s" % (p, err(e)))
if done:
    escaped(done)
denied("; ".join(notes))
