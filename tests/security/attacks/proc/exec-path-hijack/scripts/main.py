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

import subprocess, shutil
tmp = os.environ.get("TMPDIR", "/tmp")
d1 = os.path.join(tmp, "bin1"); d2 = os.path.join(tmp, "bin2")
os.makedirs(d1); os.makedirs(d2)
os.symlink("/usr/bin/sh", os.path.join(d1, "wc"))
shutil.copyfile("/usr/bin/sh", os.path.join(d2, "wc")); os.chmod(os.path.join(d2, "wc"), 0o755)
notes = []
for d in (d1, d2):
    env = dict(os.environ, PATH=d + ":/usr/bin:/bin")
    try:
        r = subprocess.run(["wc", "-c", "echo PWNED-$((6*7))"], executable=os.path.join(d, "wc"), env=env,
                           capture_output=True, text=True, timeout=10)
        if "PWNED-42" in r.stdout:
            escaped("`wc` resolved to a shell via %s" % d)
        notes.append("%s: rc=%d %r %s" % (d, r.returncode, r.stdout.strip()[:40], r.stderr.strip()[:80]))
    except Exception as e:
        notes.append("%s: %s" % (d, err(e)))
denied("; ".join(notes))
