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
notes = []
for path, clr in ((b"/skill", 0x1 | 0x8), (os.environ.get("TMPDIR", "/tmp").encode(), 0x8),
                  (b"/usr/bin", 0x8)):
    attr = ctypes.create_string_buffer(32)
    struct.pack_into("=QQQQ", attr, 0, 0, clr, 0, 0)
    r, e = sc(442, -100, path, 0, attr, 32)
    if r == 0:
        escaped("mount_setattr(%s, clear %#x) succeeded" % (path.decode(), clr))
    notes.append("%s: %s" % (path.decode(), e))
denied("; ".join(notes))
