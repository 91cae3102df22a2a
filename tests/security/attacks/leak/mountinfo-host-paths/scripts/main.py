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
for p in ("/proc/self/mountinfo", "/proc/self/mounts", "/proc/1/mountinfo"):
    try:
        with open(p) as f:
            txt = f.read()
    except OSError as e:
        continue
    for line in txt.splitlines():
        before = len(hits)
        scan(p, line, hits)
        if len(hits) > before:
            hits[-1] += ": " + line[:160]
if hits:
    escaped(hits[:6])
denied("no host path in the mount table (looked for %s)" % sorted(needles().values()))
