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
notes, made = [], []
for label, proto in (("ROUTE", 0), ("NETFILTER", 12), ("AUDIT", 9), ("KOBJECT_UEVENT", 15), ("GENERIC", 16)):
    try:
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
        made.append(label)
        s.close()
    except OSError as e:
        notes.append("%s: %s" % (label, err(e)))
if made:
    escaped("netlink sockets created: %s" % made)
denied("; ".join(notes))
