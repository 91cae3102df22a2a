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

hits, notes = [], []
for c in INP.get("canaries", []):
    try:
        if c["content"] in eval("open(%r).read()" % c["path"]):
            hits.append(c["path"])
    except Exception as e:
        notes.append("eval open %s: %s" % (c["path"], err(e)))
ns = {}
try:
    exec("data = open('/etc/shadow', 'rb').read()", ns)
    hits.append("/etc/shadow (%d bytes)" % len(ns["data"]))
except Exception as e:
    notes.append("exec shadow: %s" % err(e))
hn = eval(compile("__import__('socket').gethostname()", "<x>", "eval"))
if hn == INP.get("host_hostname"):
    hits.append("host hostname %s" % hn)
notes.append("hostname %r" % hn)
if hits:
    escaped(hits)
denied("; ".join(notes))
