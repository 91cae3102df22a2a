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
fd, e = sc(428, -100, b"/", 1 | 0x8000)  # open_tree(OPEN_TREE_CLONE|AT_RECURSIVE)
if fd >= 0:
    escaped("open_tree(/, CLONE) gave fd %d" % fd)
notes.append("open_tree clone: %s" % e)
fd, e = sc(430, b"tmpfs", 0)  # fsopen
if fd >= 0:
    escaped("fsopen(tmpfs) gave fd %d" % fd)
notes.append("fsopen: %s" % e)
fd, e = sc(433, -100, b"/skill", 0)  # fspick
if fd >= 0:
    escaped("fspick(/skill) gave fd %d" % fd)
notes.append("fspick: %s" % e)
r, e = sc(429, -100, b"/skill", -100, os.environ.get("TMPDIR", "/tmp").encode(), 0)  # move_mount
if r == 0:
    escaped("move_mount(/skill -> TMPDIR) succeeded")
notes.append("move_mount: %s" % e)
denied("; ".join(notes))
