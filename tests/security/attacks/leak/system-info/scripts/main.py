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

import socket, platform, getpass, pwd
hh, hu, hhome = INP.get("host_hostname", ""), INP.get("host_user", ""), INP.get("host_home", "")
seen = {"gethostname": socket.gethostname(), "platform.node": platform.node(), "uname": os.uname().nodename}
for p in ("/etc/hostname", "/proc/sys/kernel/hostname"):
    try:
        with open(p) as f:
            seen[p] = f.read().strip()
    except OSError as e:
        seen[p] = err(e)
try:
    seen["getfqdn"] = socket.getfqdn()
except Exception as e:
    seen["getfqdn"] = err(e)
found = [k for k, v in seen.items() if hh and v.split(".")[0] == hh.split(".")[0]]
users = {"USER": os.environ.get("USER", ""), "LOGNAME": os.environ.get("LOGNAME", "")}
try:
    users["getpass"] = getpass.getuser()
except Exception as e:
    users["getpass"] = err(e)
try:
    users["pwd"] = pwd.getpwuid(os.getuid()).pw_name
except KeyError:
    users["pwd"] = "?"
if hu and hu != "sandbox":
    found += ["user via %s" % k for k, v in users.items() if v == hu]
home = os.path.expanduser("~")
if hhome and hhome not in ("/", "/nonexistent") and home == hhome:
    found.append("home %s" % home)
if found:
    escaped("host identity visible: %s (inside: %s %s home=%s)" % (found, seen, users, home))
denied("inside: %s %s home=%s; host is %s/%s/%s" % (seen, users, home, hh, hu, hhome))
