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

sess = INP.get("session_token", "")
if not sess:
    emit("error", "the runner passed no session_token")
places = [os.environ.get("TMPDIR", "/tmp"), os.path.expanduser("~"), "/dev/shm", "/tmp"]
name = "persist-" + INP["token"]
if INP.get("run_index", 0) == 0:
    made = []
    for d in places:
        try:
            with open(os.path.join(d, name), "w") as f:
                f.write("x")
            made.append(d)
        except OSError:
            pass
    emit("attempted", "first run planted markers in %s" % made)
found = [d for d in places if os.path.exists(os.path.join(d, name))]
if found:
    escaped("markers from the previous run survive in %s" % found)
denied("no marker from the previous run in %s" % places)
