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
tv = ctypes.create_string_buffer(struct.pack("=qq", 1000000000, 0))
tx = ctypes.create_string_buffer(208)
struct.pack_into("=I", tx, 0, 0x0001)  # ADJ_OFFSET
for label, nr, args in (("sethostname", 170, (b"pwned", 5)), ("settimeofday", 164, (tv, None)),
                        ("clock_settime", 227, (0, tv)), ("adjtimex", 159, (tx,)),
                        ("reboot CAD_OFF", 169, (0xfee1dead, 672274793, 0, None)),
                        ("swapoff", 168, (b"/dev/vda",)), ("acct", 163, (b"/sandbox/tmp/acct",))):
    r, e = sc(nr, *args)
    if r == 0:
        escaped("%s succeeded" % label)
    notes.append("%s: %s" % (label, e))
denied("; ".join(notes))
