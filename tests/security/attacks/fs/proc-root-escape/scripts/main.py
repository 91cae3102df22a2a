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

host_only = set(INP.get("host_root_only", []))
hits, notes = [], []
for base in ("/proc/self/root", "/proc/thread-self/root", "/proc/1/root", "/proc/1/cwd",
             "/proc/2/root", "/proc/self/cwd/../../.."):
    for c in INP.get("canaries", []):
        p = base + c["path"]
        try:
            with open(p, errors="replace") as f:
                if c["content"] in f.read():
                    hits.append(p)
        except OSError as e:
            notes.append("%s: %s" % (p, err(e)))
    try:
        leaked = sorted(host_only & set(os.listdir(base)))
        if leaked:
            hits.append("%s lists host entries %s" % (base, leaked))
    except OSError as e:
        notes.append("listdir %s: %s" % (base, err(e)))
if hits:
    escaped(hits)
denied("; ".join(notes))
