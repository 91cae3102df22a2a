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

import urllib.request
notes = []
urls = ["http://example.com/"] + ["http://%s:%d/%s" % (ip, INP["tcp_port"], INP["token"]) for ip in host_targets()]
for u in urls:
    try:
        with urllib.request.urlopen(u, timeout=3) as r:
            escaped("%s answered: %r" % (u, r.read(80)))
    except Exception as e:
        notes.append("%s: %s" % (u, err(getattr(e, "reason", e))))
denied("; ".join(notes))
