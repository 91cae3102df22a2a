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

tmp = os.environ.get("TMPDIR", "/tmp")
targets = ["/etc/ld.so.cache", os.path.realpath(sys.executable), "/skill/SKILL.md",
           "/skill/scripts/main.py"] + [c["path"] for c in INP.get("canaries", [])]
done, notes = [], []
for i, t in enumerate(targets):
    dst = os.path.join(tmp, "hl%d" % i)
    try:
        os.link(t, dst)
        done.append(t)
    except OSError as e:
        notes.append("%s: %s" % (t, err(e)))
if done:
    escaped("hard links created to %s" % done)
denied("; ".join(notes))
