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
try:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    escaped("os.fork created pid %d" % pid)
except OSError as e:
    notes.append("fork: %s" % err(e))
try:
    pid = os.posix_spawn(sys.executable, [sys.executable, "-c", "pass"], {})
    os.waitpid(pid, 0)
    escaped("posix_spawn created pid %d" % pid)
except OSError as e:
    notes.append("posix_spawn: %s" % err(e))
for label, nr, args in (("fork", 57, ()), ("clone(SIGCHLD)", 56, (17, 0, 0, 0, 0)),
                        ("clone(CLONE_PARENT)", 56, (0x8000 | 17, 0, 0, 0, 0))):
    r, e = sc(nr, *args)
    if r == 0:
        os._exit(0)
    if r > 0:
        escaped("%s created pid %d" % (label, r))
    notes.append("%s: %s" % (label, e))
denied("; ".join(notes))
