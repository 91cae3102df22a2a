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
for p in ("/sys", "/sys/kernel", "/sys/class/net", "/sys/fs/cgroup", "/sys/firmware", "/sys/block",
          "/sys/kernel/security", "/sys/kernel/debug"):
    try:
        ents = os.listdir(p)
        if ents:
            hits.append("%s lists %s" % (p, sorted(ents)[:6]))
    except OSError as e:
        notes.append("%s: %s" % (p, err(e)))
for p in ("/sys/class/dmi/id/product_uuid", "/sys/kernel/notes", "/sys/firmware/dmi/tables/DMI",
          "/sys/fs/cgroup/cgroup.procs"):
    try:
        with open(p, "rb") as f:
            hits.append("%s read %d bytes" % (p, len(f.read(256))))
    except OSError as e:
        notes.append("%s: %s" % (p, err(e)))
if hits:
    escaped(hits)
denied("; ".join(notes))
