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

tmp = os.environ.get("TMPDIR", "/tmp")
m = os.path.join(tmp, "m")
os.makedirs(m, exist_ok=True)
libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
MS_RDONLY, MS_REMOUNT, MS_BIND, MS_REC = 1, 32, 4096, 16384
notes = []
for label, a in (("tmpfs", (b"none", m.encode(), b"tmpfs", 0, None)),
                 ("remount /skill rw", (None, b"/skill", None, MS_REMOUNT | MS_BIND, None)),
                 ("bind / to TMPDIR", (b"/", m.encode(), None, MS_BIND | MS_REC, None)),
                 ("proc", (b"proc", m.encode(), b"proc", 0, None))):
    ctypes.set_errno(0)
    r = libc.mount(*a)
    if r == 0:
        escaped("mount %s succeeded" % label)
    notes.append("%s: %s" % (label, _errno.errorcode.get(ctypes.get_errno())))
for target in (b"/skill", b"/proc", b"/usr/bin"):
    r, e = sc(166, target, 2)  # umount2(MNT_DETACH): would uncover what is below
    if r == 0:
        escaped("umount %s succeeded" % target)
    notes.append("umount %s: %s" % (target.decode(), e))
denied("; ".join(notes))
