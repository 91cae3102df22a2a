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

ESC = json.dumps({"outcome": "escaped", "detail": "a memfd copy of /bin/sh executed"})
src = "/usr/bin/dash" if os.path.exists("/usr/bin/dash") else "/usr/bin/bash"
cmd = "printf '%s\\n' '" + ESC + "'"
notes = []
for label, flags in (("plain", 0), ("MFD_EXEC", 0x10)):
    try:
        fd = os.memfd_create("x", flags)
    except OSError as e:
        notes.append("memfd_create(%s): %s" % (label, err(e)))
        continue
    with open(src, "rb") as f:
        os.write(fd, f.read())
    try:
        os.execve(fd, ["sh", "-c", cmd], {"PATH": "/usr/bin"})
    except OSError as e:
        notes.append("fexecve(memfd %s): %s" % (label, err(e)))
    try:
        os.execv("/proc/self/fd/%d" % fd, ["sh", "-c", cmd])
    except OSError as e:
        notes.append("execv(/proc/self/fd memfd %s): %s" % (label, err(e)))
denied("; ".join(notes))
