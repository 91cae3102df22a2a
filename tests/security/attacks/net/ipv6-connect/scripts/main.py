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
for ip, port in (("::1", INP["tcp_port"]), ("2606:4700:4700::1111", 80)):
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.settimeout(2)
        s.connect((ip, port))
        s.sendall(("TOKEN " + INP["token"] + "\n").encode())
        escaped("connected to [%s]:%d" % (ip, port))
    except OSError as e:
        notes.append("[%s]:%d: %s" % (ip, port, err(e)))
denied("; ".join(notes))
