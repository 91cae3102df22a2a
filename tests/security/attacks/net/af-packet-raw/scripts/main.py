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
for label, args in (("AF_PACKET", (socket.AF_PACKET, socket.SOCK_RAW, 0x0300)),
                    ("SOCK_RAW icmp", (socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)),
                    ("ping dgram", (socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)),
                    ("SOCK_RAW tcp6", (socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_TCP))):
    try:
        s = socket.socket(*args)
        made.append(label)
        s.close()
    except OSError as e:
        notes.append("%s: %s" % (label, err(e)))
if made:
    escaped("created %s" % made)
denied("; ".join(notes))
