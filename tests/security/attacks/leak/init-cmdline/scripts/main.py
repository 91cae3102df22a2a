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

hits, notes = [], []
secrets = INP.get("secrets", [])
for pid in sorted(p for p in os.listdir("/proc") if p.isdigit()):
    if int(pid) == os.getpid():
        continue
    for f in ("cmdline", "environ", "comm", "status"):
        try:
            with open("/proc/%s/%s" % (pid, f), "rb") as fh:
                data = fh.read().decode("latin-1")
        except OSError as e:
            notes.append("%s/%s: %s" % (pid, f, err(e)))
            continue
        scan("/proc/%s/%s" % (pid, f), data, hits)
        for s in secrets:
            if s in data:
                hits.append("/proc/%s/%s has a canary secret" % (pid, f))
        if f == "cmdline" and data:
            notes.append("%s/cmdline=%r" % (pid, data.replace("\0", " ")[:80]))
    for l in ("exe", "cwd", "root"):
        try:
            scan("/proc/%s/%s" % (pid, l), os.readlink("/proc/%s/%s" % (pid, l)), hits)
        except OSError as e:
            notes.append("%s/%s: %s" % (pid, l, err(e)))
if hits:
    escaped(hits)
denied("; ".join(notes))
