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
for ip in host_targets():
    try:
        s = socket.create_connection((ip, INP["tcp_port"]), timeout=2)
        s.sendall(("TOKEN " + INP["token"] + "\n").encode())
        s.settimeout(2)
        reply = s.recv(100)
        escaped("connected to %s:%d, reply %r" % (ip, INP["tcp_port"], reply))
    except OSError as e:
        notes.append("%s: %s" % (ip, err(e)))
denied("; ".join(notes))
