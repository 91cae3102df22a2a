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
attr = ctypes.create_string_buffer(128)
struct.pack_into("=IIII", attr, 0, 2, 4, 4, 1)  # BPF_MAP_TYPE_ARRAY, key 4, value 4, 1 entry
fd, e = sc(321, 0, attr, 128)
if fd >= 0:
    escaped("BPF_MAP_CREATE gave fd %d" % fd)
notes.append("map create: %s" % e)
insns = ctypes.create_string_buffer(struct.pack("=BBhi", 0xb7, 0, 0, 0) + struct.pack("=BBhi", 0x95, 0, 0, 0))
lic = ctypes.create_string_buffer(b"GPL")
attr = ctypes.create_string_buffer(128)
struct.pack_into("=IIQQ", attr, 0, 1, 2, ctypes.addressof(insns), ctypes.addressof(lic))  # SOCKET_FILTER
fd, e = sc(321, 5, attr, 128)
if fd >= 0:
    escaped("BPF_PROG_LOAD gave fd %d" % fd)
notes.append("prog load: %s" % e)
denied("; ".join(notes))
