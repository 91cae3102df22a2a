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

import builtins, site, sysconfig
builtins.open_orig = builtins.open  # the in-process change is allowed and meaningless
hits, notes = [], []
dirs = {sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"], "/usr/lib/python3/dist-packages",
        "/usr/local/lib/python%d.%d/dist-packages" % sys.version_info[:2]}
dirs.update(site.getsitepackages())
for d in sorted(dirs):
    for name in ("sitecustomize.py", "skilllite-%s.pth" % INP["token"]):
        p = os.path.join(d, name)
        try:
            fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            os.close(fd)
            os.unlink(p)
            hits.append(p)
        except FileExistsError:
            try:
                fd = os.open(p, os.O_WRONLY | os.O_APPEND)  # exists: opening it for writing is enough
                os.close(fd)
                hits.append("opened existing %s for writing" % p)
            except OSError as e:
                notes.append("%s (exists): %s" % (p, err(e)))
        except OSError as e:
            notes.append("%s: %s" % (p, err(e)))
for p in (os.path.join(sysconfig.get_paths()["stdlib"], "os.py"),):
    try:
        fd = os.open(p, os.O_WRONLY | os.O_APPEND)
        os.close(fd)
        hits.append("opened %s for writing" % p)
    except OSError as e:
        notes.append("%s: %s" % (p, err(e)))
if hits:
    escaped("could plant code in %s" % hits)
denied("; ".join(notes))
