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
done, notes = [], []
for p in ("/skill/pwn-" + tok, "/skill/scripts/pwn-" + tok):
    try:
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.close(fd)
        done.append("created " + p)
        os.unlink(p)
    except OSError as e:
        notes.append("create %s: %s" % (p, err(e)))
for p in ("/skill/SKILL.md", "/skill/scripts/main.py", "/skill/probe.json"):
    try:
        fd = os.open(p, os.O_WRONLY | os.O_APPEND)  # opened, nothing written
        os.close(fd)
        done.append("opened for writing " + p)
    except OSError as e:
        notes.append("open-w %s: %s" % (p, err(e)))
    try:
        os.chmod(p, os.stat(p).st_mode & 0o7777)  # same mode: tests permission only
        done.append("chmod " + p)
    except OSError as e:
        notes.append("chmod %s: %s" % (p, err(e)))
try:
    os.mkdir("/skill/d-" + tok)
    done.append("mkdir in /skill")
    os.rmdir("/skill/d-" + tok)
except OSError as e:
    notes.append("mkdir: %s" % err(e))
if done:
    escaped(done)
denied("; ".join(notes))
