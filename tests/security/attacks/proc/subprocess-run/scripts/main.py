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

import subprocess
notes = []
for argv in (["/bin/sh", "-c", "echo PWNED-$((6*7))"], ["whoami"], ["id"]):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        if r.returncode == 0 and r.stdout.strip():
            escaped("%s printed %r" % (argv, r.stdout.strip()[:200]))
        notes.append("%s: rc=%d %r" % (argv[0], r.returncode, r.stderr.strip()[:100]))
    except Exception as e:
        notes.append("%s: %s" % (argv[0], err(e)))
denied("; ".join(notes))
