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
marker = os.path.join(tmp, "sys-" + INP["token"])
rc = os.system("id > %s 2>&1" % marker)
if os.path.exists(marker) and os.path.getsize(marker) > 0:
    with open(marker) as f:
        escaped("os.system ran: rc=%d output=%r" % (rc, f.read()[:200]))
denied("os.system returned %d and the command produced nothing" % rc)
