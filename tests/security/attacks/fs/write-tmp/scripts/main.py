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

p = "/tmp/skilllite-escape-%s" % INP["token"]
try:
    with open(p, "w") as f:
        f.write("written from inside the sandbox " + INP["token"])
except OSError as e:
    denied("%s: %s" % (p, err(e)))
escaped("created %s (the runner also checks whether it appeared on the host)" % p)
