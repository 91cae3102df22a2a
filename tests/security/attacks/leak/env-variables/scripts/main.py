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

secrets = INP.get("secrets", [])
found = []
for k, v in os.environ.items():
    for s in secrets:
        if s in v or s in k:
            found.append("os.environ[%s]" % k)
sens = [k for k in os.environ if any(w in k.upper() for w in ("KEY", "SECRET", "TOKEN", "PASSWORD", "CREDENTIAL"))]
if sens:
    found.append("secret-looking variables %s" % sens)
notes = []
for pid in sorted(p for p in os.listdir("/proc") if p.isdigit() or p in ("self", "thread-self")):
    for f in ("environ", "cmdline"):
        try:
            with open("/proc/%s/%s" % (pid, f), "rb") as fh:
                data = fh.read().decode("latin-1")
        except OSError as e:
            notes.append("/proc/%s/%s: %s" % (pid, f, err(e)))
            continue
        for s in secrets:
            if s in data:
                found.append("/proc/%s/%s" % (pid, f))
if found:
    escaped(found)
denied("no canary in os.environ (%s) or /proc; %s" % (sorted(os.environ), "; ".join(notes)))
