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
OK = {"null", "zero", "full", "random", "urandom", "tty", "ptmx", "pts/ptmx"}
found, seen = [], []
for d, dirs, files in os.walk("/dev"):
    for n in dirs + files:
        p = os.path.join(d, n)
        try:
            m = os.lstat(p).st_mode
        except OSError:
            continue
        rel = os.path.relpath(p, "/dev")
        if stat.S_ISCHR(m) or stat.S_ISBLK(m):
            seen.append(rel)
            if rel not in OK:
                found.append(rel)
if found:
    escaped("device nodes exposed: %s" % sorted(found))
denied("only harmless devices: %s" % sorted(seen))
