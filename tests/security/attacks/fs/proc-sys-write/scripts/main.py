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

done, notes = [], []
for p in ("/proc/sys/kernel/core_pattern", "/proc/sysrq-trigger", "/proc/sys/kernel/modprobe",
          "/proc/sys/vm/drop_caches", "/proc/sys/kernel/hostname", "/proc/sys/fs/binfmt_misc/register"):
    try:
        fd = os.open(p, os.O_WRONLY)
        os.close(fd)
        done.append(p)
    except OSError as e:
        notes.append("%s: %s" % (p, err(e)))
if done:
    escaped("opened for writing: %s" % done)
denied("; ".join(notes))
