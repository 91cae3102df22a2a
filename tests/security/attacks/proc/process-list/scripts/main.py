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

marker = INP.get("sentinel_marker", "\0")
pids = [p for p in os.listdir("/proc") if p.isdigit()]
seen, hits = [], []
for p in pids:
    try:
        with open("/proc/%s/cmdline" % p, "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError as e:
        cmd = "<%s>" % err(e)
    seen.append("%s:%s" % (p, cmd[:60]))
    if marker in cmd:
        hits.append("host sentinel visible as pid %s" % p)
if str(INP.get("sentinel_pid")) in pids and INP.get("sentinel_pid") not in (1, 2, 3):
    hits.append("host sentinel's pid %s present" % INP.get("sentinel_pid"))
if hits or len(pids) > 8:
    escaped("%s; %d pids: %s" % (hits, len(pids), seen[:20]))
denied("only the sandbox's own processes: %s" % seen)
