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
home = INP.get("host_home") or "/root"
cands = [os.path.join(home, ".skilllite"), os.path.join(home, ".config", "skilllite"),
         os.path.join(home, ".cache", "skilllite"), "/root/.skilllite", "/var/lib/skilllite",
         "/var/cache/skilllite", "/run/skilllite", "/etc/skilllite"]
for k in ("repo_root", "host_cwd", "engine_path", "corpus_root"):
    if INP.get(k) and INP[k] not in ("/", "/usr", "/tmp"):
        cands.append(INP[k])
for p in cands:
    try:
        os.lstat(p)
        hits.append(p)
    except OSError as e:
        notes.append("%s: %s" % (p, err(e)))
if hits:
    escaped("host state visible: %s" % hits)
denied("; ".join(notes))
