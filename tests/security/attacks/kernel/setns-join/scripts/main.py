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
for pid in ("1", "self"):
    for ns in ("mnt", "net", "user", "pid", "uts", "ipc", "cgroup"):
        p = "/proc/%s/ns/%s" % (pid, ns)
        try:
            fd = os.open(p, os.O_RDONLY)
        except OSError as e:
            notes.append("%s: %s" % (p, err(e)))
            continue
        r, e = sc(308, fd, 0)
        os.close(fd)
        if r == 0:
            escaped("setns(%s) succeeded" % p)
        notes.append("setns %s: %s" % (p, e))
pfd, e = sc(434, 1, 0)  # pidfd_open(1)
if pfd >= 0:
    r, e = sc(308, pfd, CLONE_NEWNS | CLONE_NEWNET)
    if r == 0:
        escaped("setns(pidfd of pid 1) succeeded")
    notes.append("setns(pidfd 1): %s" % e)
else:
    notes.append("pidfd_open(1): %s" % e)
denied("; ".join(notes))
