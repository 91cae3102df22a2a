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

blk = b"\x01" * (1 << 20)
total = 0
try:
    for i in range(64):
        with open("/dev/shm/fill%d" % i, "wb") as f:
            for j in range(16):
                f.write(blk)
                total += 1
except OSError as e:
    denied("refused after %d MiB: %s" % (total, err(e)))
escaped("wrote %d MiB into /dev/shm" % total)
