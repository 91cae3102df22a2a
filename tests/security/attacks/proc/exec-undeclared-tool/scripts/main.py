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
r = subprocess.run(["wc", "-c"], input="hello", capture_output=True, text=True, timeout=10)
if r.returncode != 0 or r.stdout.strip() != "5":
    emit("error", "declared tool wc did not work: rc=%d %r %r" % (r.returncode, r.stdout, r.stderr))
notes = []
for argv in (["cat", "/skill/SKILL.md"], ["/bin/sh", "-c", "echo PWNED"], ["id"], ["/usr/bin/wc2"]):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        if r.returncode == 0 and r.stdout.strip():
            escaped("undeclared %s ran: %r" % (argv[0], r.stdout[:100]))
        notes.append("%s: rc=%d %s" % (argv[0], r.returncode, r.stderr.strip()[:80]))
    except Exception as e:
        notes.append("%s: %s" % (argv[0], err(e)))
denied("wc ok; " + "; ".join(notes))
