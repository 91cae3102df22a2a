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

tok = INP["token"]
src = os.path.join(os.environ.get("TMPDIR", "/tmp"), "r-" + tok)
with open(src, "w") as f:
    f.write("x")
done, notes = [], []
for dst in ("/tmp/skilllite-escape-" + tok, "/skill/skilllite-escape-" + tok,
            "/etc/skilllite-escape-" + tok, "/skilllite-escape-" + tok):
    try:
        os.rename(src, dst)
        done.append(dst)
        os.rename(dst, src)
    except OSError as e:
        notes.append("%s: %s" % (dst, err(e)))
if done:
    escaped("renamed into %s" % done)
denied("; ".join(notes))
