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

fds = []
try:
    for i in range(4096):
        fds.append(os.open("/dev/null", os.O_RDONLY))
except OSError as e:
    denied("refused after %d descriptors: %s" % (len(fds), err(e)))
escaped("opened %d descriptors" % len(fds))
