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
hits, notes = [], []
try:
    soft, hard = resource.prlimit(1, resource.RLIMIT_NOFILE)
    notes.append("read pid 1 NOFILE %d/%d" % (soft, hard))
    resource.prlimit(1, resource.RLIMIT_NOFILE, (min(soft, 64), min(hard, 64)))
    hits.append("prlimit(1, NOFILE) lowered the init's limit")
except (ValueError, OSError) as e:
    notes.append("prlimit(1): %s" % err(e))
try:
    os.setpriority(os.PRIO_PROCESS, 1, 19)
    hits.append("setpriority(pid 1, 19) worked")
except OSError as e:
    notes.append("setpriority(1): %s" % err(e))
try:
    os.sched_setaffinity(1, {0})
    hits.append("sched_setaffinity(pid 1) worked")
except OSError as e:
    notes.append("sched_setaffinity(1): %s" % err(e))
if hits:
    escaped(hits + notes)
denied("; ".join(notes))
