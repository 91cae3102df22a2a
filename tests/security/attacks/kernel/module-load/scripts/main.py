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
img = ctypes.create_string_buffer(b"\x7fELF" + b"\0" * 60)
for label, nr, args in (("init_module", 175, (img, 64, b"")),
                        ("finit_module", 313, (0, b"", 0)),
                        ("delete_module", 176, (b"ext4", 0x800)),
                        ("kexec_load", 246, (0, 0, None, 0))):
    r, e = sc(nr, *args)
    if r == 0:
        escaped("%s succeeded" % label)
    notes.append("%s: %s" % (label, e))
denied("; ".join(notes))
