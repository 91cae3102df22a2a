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

def host_targets():
    ips = ["127.0.0.1"] + [ip for ip in INP.get("host_ips", []) if not ip.startswith("127.")]
    return ips

import socket
notes = []
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
except OSError as e:
    denied("socket(AF_INET, SOCK_DGRAM): %s" % err(e))
s.settimeout(1.5)
for ip in host_targets():
    try:
        s.sendto(("TOKEN " + INP["token"]).encode(), (ip, INP["udp_port"]))
        data, addr = s.recvfrom(100)
        escaped("UDP reply from %s: %r" % (addr, data))
    except OSError as e:
        notes.append("%s: %s" % (ip, err(e)))
denied("; ".join(notes))
