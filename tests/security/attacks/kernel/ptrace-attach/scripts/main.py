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
r, e = sc(101, 0x4206, 1, 0, 0)  # PTRACE_SEIZE pid 1
if r == 0:
    escaped("PTRACE_SEIZE(1) succeeded")
notes.append("seize 1: %s" % e)
r, e = sc(101, 16, 1, 0, 0)  # PTRACE_ATTACH pid 1
if r == 0:
    escaped("PTRACE_ATTACH(1) succeeded")
notes.append("attach 1: %s" % e)
r, e = sc(101, 0, 0, 0, 0)  # PTRACE_TRACEME: last, so a success cannot stop us later
notes.append("traceme: %s" % (e or "allowed (harmless alone)"))
denied("; ".join(notes))
