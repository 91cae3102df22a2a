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

hits, maps = [], {}
for p in ("/proc/self/uid_map", "/proc/self/gid_map"):
    try:
        with open(p) as f:
            lines = [l.split() for l in f if l.strip()]
    except OSError as e:
        maps[p] = err(e)
        continue
    maps[p] = [" ".join(l) for l in lines]
    for inside, outside, count in lines:
        if int(outside) == 0:
            hits.append("%s maps inside %s -> host 0" % (p, inside))
if hits:
    escaped("%s; maps %s" % (hits, maps))
denied("no mapping to host root: %s" % maps)
