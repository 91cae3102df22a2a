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

import socket
notes = []
for name in ("example.com", "google.com"):
    try:
        addrs = sorted({a[4][0] for a in socket.getaddrinfo(name, 80)})
        if [a for a in addrs if not a.startswith("127.") and a != "::1"]:
            escaped("%s resolved to %s" % (name, addrs))
        notes.append("%s -> %s" % (name, addrs))
    except Exception as e:
        notes.append("%s: %s" % (name, err(e)))
denied("; ".join(notes))
