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
        with open(c["path"], errors="replace") as f:
            if c["content"] in f.read():
                hits.append(c["path"])
    except OSError as e:
        notes.append("%s: %s" % (c["path"], err(e)))
try:
    names = os.listdir("/tmp")
    vis = [n for n in names if n.startswith("skilllite-canary")]
    if vis:
        hits.append("host /tmp entries visible: %s" % vis)
    notes.append("/tmp lists %d entries" % len(names))
except OSError as e:
    notes.append("listdir /tmp: %s" % err(e))
if hits:
    escaped(hits)
denied("; ".join(notes))
