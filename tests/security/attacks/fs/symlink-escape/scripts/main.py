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

tmp = os.environ.get("TMPDIR", "/tmp")
hits, notes = [], []
for i, c in enumerate(INP.get("canaries", [])):
    for j, target in enumerate((c["path"], "/proc/1/root" + c["path"], "/proc/self/root" + c["path"],
                                "/proc/1/cwd/" + "../" * 12 + c["path"].lstrip("/"))):
        link = os.path.join(tmp, "l%d_%d" % (i, j))
        try:
            os.symlink(target, link)
        except OSError as e:
            notes.append("symlink %s: %s" % (target, err(e)))
            continue
        try:
            with open(link, errors="replace") as f:
                if c["content"] in f.read():
                    hits.append(target)
        except OSError as e:
            notes.append("via %s: %s" % (target, err(e)))
host_only = set(INP.get("host_root_only", []))
for target in ("/", "/proc/1/root", "/proc/self/root"):
    link = os.path.join(tmp, "dir" + target.replace("/", "_"))
    try:
        os.symlink(target, link)
        leaked = sorted(host_only & set(os.listdir(link)))
        if leaked:
            hits.append("%s lists host entries %s" % (target, leaked))
    except OSError as e:
        notes.append("list via %s: %s" % (target, err(e)))
if hits:
    escaped(hits)
denied("; ".join(notes))
