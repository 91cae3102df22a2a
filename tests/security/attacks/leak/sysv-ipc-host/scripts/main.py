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

import ctypes
libc = ctypes.CDLL(None, use_errno=True)
hits, notes = [], []
key = int(INP.get("sysv_key", 0))
if not key:
    emit("error", "the runner passed no sysv_key")
r = libc.shmget(ctypes.c_int(key), ctypes.c_size_t(0), 0)
if r >= 0:
    hits.append("host shm segment visible (id %d)" % r)
else:
    notes.append("shmget: errno %d" % ctypes.get_errno())
r = libc.msgget(ctypes.c_int(key), 0)
if r >= 0:
    hits.append("host message queue visible (id %d)" % r)
else:
    notes.append("msgget: errno %d" % ctypes.get_errno())
try:
    with open("/proc/sysvipc/shm") as f:
        if ("%d" % key) in f.read():
            hits.append("/proc/sysvipc/shm lists the host segment")
except OSError as e:
    notes.append("/proc/sysvipc/shm: %s" % err(e))
if hits:
    escaped(hits)
denied("; ".join(notes))
