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

import resource
notes, hits = [], []
for label, res in (("CORE", resource.RLIMIT_CORE), ("NOFILE", resource.RLIMIT_NOFILE),
                   ("FSIZE", resource.RLIMIT_FSIZE), ("NPROC", resource.RLIMIT_NPROC),
                   ("CPU", resource.RLIMIT_CPU)):
    soft, hard = resource.getrlimit(res)
    if hard == resource.RLIM_INFINITY:
        notes.append("%s hard limit already unlimited" % label)
        if label in ("CORE", "FSIZE", "NOFILE"):
            hits.append("%s has no hard limit" % label)
        continue
    try:
        resource.setrlimit(res, (hard * 4 + 1024, hard * 4 + 1024))
        hits.append("raised %s hard limit above %d" % (label, hard))
    except (ValueError, OSError) as e:
        notes.append("%s (hard %d): %s" % (label, hard, err(e)))
if hits:
    escaped(hits)
denied("; ".join(notes))
