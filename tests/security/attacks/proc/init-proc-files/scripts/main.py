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
for p, flags in (("/proc/1/exe", os.O_WRONLY), ("/proc/1/exe", os.O_RDONLY), ("/proc/1/mem", os.O_RDWR),
                 ("/proc/1/mem", os.O_RDONLY), ("/proc/self/exe", os.O_WRONLY), ("/proc/1/environ", os.O_RDONLY)):
    try:
        fd = os.open(p, flags)
        hits.append("opened %s (%s)" % (p, "write" if flags != os.O_RDONLY else "read"))
        os.close(fd)
    except OSError as e:
        notes.append("%s %s: %s" % (p, "w" if flags != os.O_RDONLY else "r", err(e)))
try:
    fds = os.listdir("/proc/1/fd")
    notes.append("/proc/1/fd lists %s" % fds)
except OSError as e:
    fds = []
    notes.append("/proc/1/fd: %s" % err(e))
for n in fds:
    p = "/proc/1/fd/" + n
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
        try:
            link = os.readlink("/proc/self/fd/%d" % fd)
        except OSError:
            link = "?"
        hits.append("reopened the init's fd %s -> %s" % (n, link))
        os.close(fd)
    except OSError as e:
        notes.append("%s: %s" % (p, err(e)))
if hits:
    escaped(hits)
denied("; ".join(notes))
