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

import signal, time
notes = []
spid = int(INP.get("sentinel_pid", 0))
for pid, sig in ((1, 0), (1, signal.SIGTERM), (1, signal.SIGKILL), (-1, 0)):
    try:
        os.kill(pid, sig)
        notes.append("kill(%d,%d) accepted" % (pid, sig))
    except OSError as e:
        notes.append("kill(%d,%d): %s" % (pid, sig, err(e)))
if spid > 10:
    try:
        os.kill(spid, 0)
        notes.append("a pid %d exists in our namespace (not signalled)" % spid)
    except OSError as e:
        notes.append("sentinel pid %d: %s" % (spid, err(e)))
time.sleep(0.2)
try:
    with open("/proc/1/stat") as f:
        state = f.read().split(")")[1].split()[0]
except OSError as e:
    state = err(e)
if state in ("Z", "X", "ENOENT", "ESRCH"):
    escaped("pid 1 is gone (%s): %s" % (state, notes))
denied("; ".join(notes) + "; pid 1 still alive (state %s)" % state)
