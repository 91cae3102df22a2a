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

hits, notes = [], []
for p in ("/dev/sda", "/dev/vda", "/dev/nvme0n1", "/dev/xvda", "/dev/loop0", "/dev/loop-control",
          "/dev/mapper/control", "/dev/dm-0", "/dev/fuse", "/dev/kvm", "/dev/net/tun",
          "/dev/userfaultfd", "/dev/btrfs-control", "/dev/uinput"):
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
        hits.append(p)
        os.close(fd)
    except OSError as e:
        notes.append("%s: %s" % (p, err(e)))
if hits:
    escaped("opened %s" % hits)
denied("; ".join(notes))
