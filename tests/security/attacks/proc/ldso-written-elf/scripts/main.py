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
ld = next(p for p in ("/lib64/ld-linux-x86-64.so.2", "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
          if os.path.exists(p))
notes = []
for d in (os.environ.get("TMPDIR", "/tmp"), "/dev/shm"):
    dst = os.path.join(d, "sh-" + INP["token"])
    try:
        shutil.copyfile("/usr/bin/dash" if os.path.exists("/usr/bin/dash") else "/usr/bin/bash", dst)
        os.chmod(dst, 0o755)
    except OSError as e:
        notes.append("copy to %s: %s" % (d, err(e)))
        continue
    r = subprocess.run([ld, dst, "-c", "echo PWNED-$((6*7))"], capture_output=True, text=True, timeout=10)
    if "PWNED-42" in r.stdout:
        escaped("loader ran %s" % dst)
    notes.append("%s: rc=%d %s" % (dst, r.returncode, r.stderr.strip()[:150]))
denied("; ".join(notes))
