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

import stat
hits, notes = [], []
host_only = set(INP.get("host_root_only", []))
fds = sorted(int(f) for f in os.listdir("/proc/self/fd"))
for fd in fds:
    try:
        st = os.fstat(fd)
        link = os.readlink("/proc/self/fd/%d" % fd)
    except OSError:
        continue  # the descriptor listdir itself used
    notes.append("%d -> %s" % (fd, link))
    if fd <= 2:
        continue
    if stat.S_ISDIR(st.st_mode):
        try:
            up = os.open("../../../..", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            ents = set(os.listdir(up))
            if ents & host_only:
                hits.append("fd %d (%s) leads to the host root: %s" % (fd, link, sorted(ents & host_only)))
        except OSError as e:
            notes.append("openat(%d, ..): %s" % (fd, err(e)))
    elif not link.startswith(("pipe:", "/dev/null", "anon_inode:", "socket:")):
        hits.append("fd %d open on %s" % (fd, link))
if hits:
    escaped(hits)
denied("descriptors: %s" % "; ".join(notes))
