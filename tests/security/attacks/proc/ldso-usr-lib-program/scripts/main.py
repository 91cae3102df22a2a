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
ld = next(p for p in ("/lib64/ld-linux-x86-64.so.2", "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
          if os.path.exists(p))
known = [("/usr/lib/git-core/git", ["--version"], "git version"),
         ("/usr/lib/apt/apt-helper", ["--help"], "apt"),
         ("/usr/lib/openssh/ssh-keysign", [], ""),
         ("/usr/lib/systemd/systemd-ac-power", ["--help"], "systemd-ac-power")]
for d in ("/usr/lib/jvm",):
    try:
        for j in sorted(os.listdir(d)):
            known.append((os.path.join(d, j, "bin", "java"), ["-version"], "version"))
    except OSError:
        pass
notes, tried = [], 0
for prog, args, want in known:
    if not os.path.isfile(prog):
        continue
    tried += 1
    try:
        r = subprocess.run([ld, prog] + args, capture_output=True, text=True, timeout=15)
    except Exception as e:
        notes.append("%s: %s" % (prog, err(e)))
        continue
    both = (r.stdout + r.stderr).strip()
    loader_refused = ("cannot open" in both or "failed to map" in both or "error while loading" in both
                      or r.returncode == 127)
    if not loader_refused and (want and want in both):
        escaped("%s %s ran through the loader: %r" % (prog, " ".join(args), both[:120]))
    notes.append("%s: rc=%d %r" % (prog, r.returncode, both[:120]))
    if tried >= 3:
        break
if not tried:
    emit("error", "no known program under /usr/lib on this host")
denied("; ".join(notes))
