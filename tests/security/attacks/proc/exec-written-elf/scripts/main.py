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

def esc_json(how):
    return json.dumps({"outcome": "escaped", "detail": "executed " + how})

import shutil
exe = os.path.realpath(sys.executable)
notes = []
for d in (os.environ.get("TMPDIR", "/tmp"), "/dev/shm", os.path.expanduser("~")):
    dst = os.path.join(d, "py-" + INP["token"])
    try:
        shutil.copyfile(exe, dst)
        os.chmod(dst, 0o755)
    except OSError as e:
        notes.append("copy to %s: %s" % (d, err(e)))
        continue
    try:
        os.execv(dst, [dst, "-c", "print(%r)" % esc_json(dst)])
    except OSError as e:
        notes.append("exec %s: %s" % (dst, err(e)))
denied("; ".join(notes))
