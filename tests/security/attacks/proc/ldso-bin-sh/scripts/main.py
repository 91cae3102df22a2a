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

import subprocess, glob
lds = [p for p in ("/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                   "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2") if os.path.exists(p)]
notes = []
for ld in lds[:2]:
    for target in ("/bin/sh", "/usr/bin/id", "/usr/bin/perl"):
        argv = [ld, target] + (["-c", "echo PWNED-$((6*7))"] if target == "/bin/sh" else
                               ["-e", "print 6*7"] if target.endswith("perl") else [])
        try:
            r = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        except Exception as e:
            notes.append("%s %s: %s" % (ld, target, err(e)))
            continue
        out = r.stdout.strip()
        if r.returncode == 0 and (("42" in out) or out.startswith("uid=")):
            escaped("%s %s ran: %r" % (ld, target, out[:100]))
        notes.append("%s %s: rc=%d %s" % (os.path.basename(ld), target, r.returncode, r.stderr.strip()[:120]))
if not lds:
    emit("error", "no ELF loader found")
denied("; ".join(notes))
