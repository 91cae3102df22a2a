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
import errno as _errno

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long


def sc(nr, *args):
    """Raw syscall: returns (result, errno name or None)."""
    conv = [ctypes.c_long(a) if isinstance(a, int) else a for a in args]
    ctypes.set_errno(0)
    r = libc.syscall(ctypes.c_long(nr), *conv)
    e = ctypes.get_errno()
    return r, (_errno.errorcode.get(e, str(e)) if r < 0 else None)

notes = []
for label, ring in (("session", -3), ("user", -4), ("user-session", -5), ("process", -2)):
    r, e = sc(250, 0, ring, 0)  # KEYCTL_GET_KEYRING_ID
    if r >= 0:
        escaped("keyctl(GET_KEYRING_ID %s) = %d" % (label, r))
    notes.append("%s: %s" % (label, e))
r, e = sc(248, b"user", ("skilllite-" + INP["token"]).encode(), b"x", 1, -2)  # add_key
if r >= 0:
    escaped("add_key gave serial %d" % r)
notes.append("add_key: %s" % e)
r, e = sc(249, b"user", b"skilllite-probe", None, 0)  # request_key
if r >= 0:
    escaped("request_key gave %d" % r)
notes.append("request_key: %s" % e)
denied("; ".join(notes))
