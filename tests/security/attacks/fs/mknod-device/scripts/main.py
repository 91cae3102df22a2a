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
tmp = os.environ.get("TMPDIR", "/tmp")
hits, notes = [], []
for name, kind, dev in (("mem", stat.S_IFCHR, (1, 1)), ("kmsg", stat.S_IFCHR, (1, 11)),
                        ("vda", stat.S_IFBLK, (254, 0)), ("sda", stat.S_IFBLK, (8, 0)),
                        ("nvme", stat.S_IFBLK, (259, 0))):
    p = os.path.join(tmp, name)
    try:
        os.mknod(p, kind | 0o600, os.makedev(*dev))
    except OSError as e:
        notes.append("mknod %s: %s" % (name, err(e)))
        continue
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
        try:
            data = os.read(fd, 16)
            hits.append("%s opened and read %d bytes" % (name, len(data)))
        except OSError as e:
            hits.append("%s opened (read: %s)" % (name, err(e)))
        os.close(fd)
    except OSError as e:
        notes.append("mknod %s ok but open: %s" % (name, err(e)))
if hits:
    escaped(hits)
denied("; ".join(notes))
