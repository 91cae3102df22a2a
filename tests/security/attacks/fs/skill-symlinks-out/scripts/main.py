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
hh = INP.get("host_hostname", "")
for name in ("abs-hostname", "rel-hostname", "abs-root", "abs-proc1root"):
    p = os.path.join("/skill/assets", name)
    try:
        if os.path.isdir(p):
            ents = set(os.listdir(p))
            leaked = ents & set(INP.get("host_root_only", [])) if name != "abs-root" else ents
            if leaked:
                hits.append("%s lists %s" % (name, sorted(leaked)[:6]))
            else:
                notes.append("%s: empty/sandbox-only dir" % name)
        else:
            with open(p) as f:
                data = f.read().strip()
            if hh and data == hh:
                hits.append("%s -> host hostname %r" % (name, data))
            else:
                notes.append("%s -> %r" % (name, data[:40]))
    except OSError as e:
        notes.append("%s: %s" % (name, err(e)))
if hits:
    escaped(hits)
denied("; ".join(notes))
