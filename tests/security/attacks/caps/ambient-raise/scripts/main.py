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

import struct
libc.prctl.restype = ctypes.c_int
notes = []
ctypes.set_errno(0)
r = libc.prctl(47, 2, 21, 0, 0)  # PR_CAP_AMBIENT, RAISE, CAP_SYS_ADMIN
if r == 0:
    escaped("ambient CAP_SYS_ADMIN raised")
notes.append("ambient raise: %s" % _errno.errorcode.get(ctypes.get_errno()))
r = libc.prctl(28, 0, 0, 0, 0)  # PR_SET_SECUREBITS 0
notes.append("securebits: %s" % (r if r == 0 else _errno.errorcode.get(ctypes.get_errno())))
hdr = ctypes.create_string_buffer(struct.pack("=Ii", 0x20080522, 0))
data = ctypes.create_string_buffer(struct.pack("=IIIIII", 1 << 21, 1 << 21, 0, 0, 0, 0))
r, e = sc(126, hdr, data)  # capset
if r == 0:
    escaped("capset(CAP_SYS_ADMIN) succeeded")
notes.append("capset: %s" % e)
r = libc.prctl(39, 0, 0, 0, 0)  # PR_GET_NO_NEW_PRIVS
notes.append("no_new_privs=%d" % r)
denied("; ".join(notes))
