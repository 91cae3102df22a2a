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
for flags in (0x80000 | 0x800, 0x80000 | 0x800 | 1):  # O_CLOEXEC|O_NONBLOCK, + UFFD_USER_MODE_ONLY
    fd, e = sc(323, flags)
    if fd >= 0:
        escaped("userfaultfd(%#x) gave fd %d" % (flags, fd))
    notes.append("userfaultfd(%#x): %s" % (flags, e))
try:
    fd = os.open("/dev/userfaultfd", os.O_RDWR)
    escaped("/dev/userfaultfd opened")
except OSError as x:
    notes.append("/dev/userfaultfd: %s" % err(x))
denied("; ".join(notes))
