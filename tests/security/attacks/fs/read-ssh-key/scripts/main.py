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

hits, notes = [], []
home = os.path.expanduser("~")
for c in INP.get("canaries", []):
    base = os.path.basename(c["path"])
    for p in {c["path"], os.path.join(home, base), os.path.join("/root", base),
              os.path.join(INP.get("host_home", "/root"), base)}:
        try:
            with open(p, errors="replace") as f:
                data = f.read()
            if c["content"] in data:
                hits.append(p)
            else:
                notes.append("%s: readable, no canary" % p)
        except OSError as e:
            notes.append("%s: %s" % (p, err(e)))
keys = []
for h in {home, INP.get("host_home", "/root"), "/root"}:
    for k in ("id_rsa", "id_ed25519", "id_ecdsa", "authorized_keys"):
        p = os.path.join(h, ".ssh", k)
        try:
            with open(p, "rb") as f:
                keys.append("%s (%d bytes)" % (p, len(f.read())))
        except OSError as e:
            notes.append("%s: %s" % (p, err(e)))
if hits or keys:
    escaped("read host secrets: %s" % (hits + keys))
denied("; ".join(notes))
