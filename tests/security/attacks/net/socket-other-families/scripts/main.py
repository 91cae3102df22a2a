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
for label, fam, typ in (("VSOCK", 40, socket.SOCK_STREAM), ("ALG", 38, socket.SOCK_SEQPACKET),
                        ("BLUETOOTH", 31, socket.SOCK_RAW), ("TIPC", 30, socket.SOCK_RDM),
                        ("CAN", 29, socket.SOCK_RAW), ("RDS", 21, socket.SOCK_SEQPACKET),
                        ("X25", 9, socket.SOCK_SEQPACKET), ("KEY", 15, socket.SOCK_RAW),
                        ("XDP", 44, socket.SOCK_RAW), ("PPPOX", 24, socket.SOCK_STREAM)):
    try:
        s = socket.socket(fam, typ, 0)
        made.append(label)
        s.close()
    except OSError as e:
        notes.append("%s: %s" % (label, err(e)))
if made:
    escaped("created %s" % made)
denied("; ".join(notes))
