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

STUB = {"root", "sandbox", "nobody"}
found, notes = [], []
for p in ("/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow", "/etc/sudoers"):
    try:
        with open(p, errors="replace") as f:
            txt = f.read()
    except OSError as e:
        notes.append("%s: %s" % (p, err(e)))
        continue
    if p in ("/etc/passwd", "/etc/group"):
        names = [l.split(":")[0] for l in txt.splitlines() if l.strip() and not l.startswith("#")]
        host = [n for n in names if n not in STUB and n not in ("sandbox", "nogroup")]
        host += [n for n in INP.get("host_passwd_users", []) if n in names]
        if host:
            found.append("%s lists host entries %s" % (p, sorted(set(host))[:12]))
        else:
            notes.append("%s: stub only %s" % (p, names))
    else:
        found.append("%s readable (%d bytes)" % (p, len(txt)))
try:
    import pwd
    extra = [u.pw_name for u in pwd.getpwall() if u.pw_name not in STUB]
    if extra:
        found.append("getpwall lists %s" % extra[:12])
except Exception as e:
    notes.append("getpwall: %s" % err(e))
if found:
    escaped("; ".join(found))
denied("; ".join(notes))
