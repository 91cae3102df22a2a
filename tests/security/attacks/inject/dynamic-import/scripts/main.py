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

import importlib
hits, notes = [], []
osm = importlib.import_module("o" + "s")
for c in INP.get("canaries", []):
    try:
        fd = osm.open(c["path"], osm.O_RDONLY)
        if c["content"].encode() in osm.read(fd, 4096):
            hits.append(c["path"])
    except OSError as e:
        notes.append("%s: %s" % (c["path"], err(e)))
sp = __import__("sub" + "process")
try:
    out = sp.run(["/bin/sh", "-c", "echo PWNED-$((6*7))"], capture_output=True, text=True, timeout=5).stdout
    if "PWNED-42" in out:
        hits.append("shell ran")
except Exception as e:
    notes.append("subprocess: %s" % err(e))
ct = importlib.import_module("ctypes")
try:
    rc = ct.CDLL(None).system(b"exit 7")
    if rc >= 0 and (rc >> 8) == 7:
        hits.append("libc system() ran a shell")
    notes.append("libc system() = %d" % rc)
except Exception as e:
    notes.append("ctypes system: %s" % err(e))
if hits:
    escaped(hits)
denied("; ".join(notes))
