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

import socket, struct
q = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + b"\x07example\x03com\x00" + struct.pack(">HH", 1, 1)
notes = []
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
except OSError as e:
    denied("socket: %s" % err(e))
s.settimeout(1.5)
for ip in ("8.8.8.8", "1.1.1.1"):
    try:
        s.sendto(q, (ip, 53))
        data, addr = s.recvfrom(512)
        escaped("DNS answer from %s (%d bytes)" % (addr, len(data)))
    except OSError as e:
        notes.append("%s: %s" % (ip, err(e)))
denied("; ".join(notes))
