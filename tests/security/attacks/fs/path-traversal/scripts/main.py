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
    for start in ("/skill/scripts", os.environ.get("TMPDIR", "/tmp"), "/proc/self/cwd", "."):
        p = os.path.join(start, "../" * 16 + c["path"].lstrip("/"))
        try:
            with open(p, errors="replace") as f:
                if c["content"] in f.read():
                    hits.append(p)
        except OSError as e:
            notes.append("%s: %s" % (p, err(e)))
for p in ("../../../../../../../../etc/shadow", "../" * 16 + INP.get("host_cwd", "/").lstrip("/")):
    try:
        if os.path.isdir(p):
            ents = os.listdir(p)
            if ents:
                hits.append("%s lists %s" % (p, ents[:5]))
        else:
            with open(p, "rb") as f:
                hits.append("%s (%d bytes)" % (p, len(f.read())))
    except OSError as e:
        notes.append("%s: %s" % (p, err(e)))
if hits:
    escaped(hits)
denied("; ".join(notes))
