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

class IOV(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]
buf = ctypes.create_string_buffer(64)
local = IOV(ctypes.addressof(buf), 64)
notes = []
for addr in (0x400000, 0x555555554000, 0x7ffff7fc0000):
    remote = IOV(addr, 64)
    r, e = sc(310, 1, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
    if r > 0:
        escaped("read %d bytes of pid 1 at %#x" % (r, addr))
    if e == "EFAULT":
        escaped("pid 1 memory access permitted (EFAULT on a guessed address)")
    notes.append("%#x: %s" % (addr, e))
denied("; ".join(notes))
