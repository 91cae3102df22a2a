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

def needles():
    out = {}
    for k in ("skill_host_path", "host_cwd", "engine_path", "repo_root", "corpus_root"):
        v = INP.get(k) or ""
        if len(v) > 4 and v not in ("/usr", "/skill", "/tmp", "/root"):
            out[k] = v
    h = INP.get("host_home") or ""
    if len(h) > 4 and h not in ("/root", "/nonexistent"):
        out["host_home"] = h
    return out


def scan(label, text, hits):
    for k, v in needles().items():
        if v in text:
            hits.append("%s contains %s (%s)" % (label, k, v))

hits = []
scan("cwd", os.getcwd(), hits)
scan("argv", " ".join(sys.argv), hits)
scan("sys.path", " ".join(sys.path), hits)
scan("environ", " ".join("%s=%s" % kv for kv in os.environ.items()), hits)
for p in ("/proc/self/exe", "/proc/self/cwd", "/proc/self/root"):
    try:
        scan(p, os.readlink(p), hits)
    except OSError:
        pass
for fd in os.listdir("/proc/self/fd"):
    try:
        scan("fd " + fd, os.readlink("/proc/self/fd/" + fd), hits)
    except OSError:
        pass
for p in ("/proc/self/maps", "/proc/self/cmdline", "/proc/self/environ", "/proc/self/stat"):
    try:
        with open(p, "rb") as f:
            scan(p, f.read().decode("latin-1"), hits)
    except OSError:
        pass
if hits:
    escaped(hits)
denied("none of %s visible in own process state" % sorted(needles().values()))
