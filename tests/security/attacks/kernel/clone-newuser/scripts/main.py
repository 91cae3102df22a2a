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

CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC = 0x20000, 0x02000000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000

notes = []
for label, flags in (("USER", CLONE_NEWUSER), ("NS", CLONE_NEWNS), ("NET", CLONE_NEWNET),
                     ("PID|USER", CLONE_NEWPID | CLONE_NEWUSER)):
    r, e = sc(56, flags | 17, 0, 0, 0, 0)  # clone(flags|SIGCHLD, newsp=0, ...): fork-like
    if r == 0:
        os._exit(0)
    if r > 0:
        os.waitpid(r, 0)
        escaped("clone(CLONE_NEW%s) created pid %d" % (label, r))
    notes.append("%s: %s" % (label, e))
denied("; ".join(notes))
