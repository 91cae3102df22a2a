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

exe = os.path.realpath(sys.executable)
notes = []
for d in (os.environ.get("TMPDIR", "/tmp"), "/dev/shm"):
    dst = os.path.join(d, "s-" + INP["token"])
    with open(dst, "w") as f:
        f.write("#!%s\nprint(%r)\n" % (exe, esc_json("shebang script in " + d)))
    os.chmod(dst, 0o755)
    try:
        os.execv(dst, [dst])
    except OSError as e:
        notes.append("exec %s: %s" % (dst, err(e)))
denied("; ".join(notes))
