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

hits, notes = [], []
port = "%04X" % int(INP.get("tcp_port", 0))
def rd(p):
    try:
        with open(p) as f:
            return f.read()
    except OSError as e:
        notes.append("%s: %s" % (p, err(e)))
        return ""
dev = rd("/proc/self/net/dev")
ifs = [l.split(":")[0].strip() for l in dev.splitlines()[2:] if ":" in l]
if [i for i in ifs if i != "lo"]:
    hits.append("interfaces %s" % ifs)
for p in ("/proc/self/net/tcp", "/proc/self/net/tcp6", "/proc/self/net/udp", "/proc/self/net/udp6"):
    txt = rd(p)
    if (":" + port + " ") in txt:
        hits.append("%s lists the runner's port %s" % (p, INP.get("tcp_port")))
unix = rd("/proc/self/net/unix")
for k in ("unix_socket", "abstract_socket"):
    v = INP.get(k)
    if v and v in unix:
        hits.append("/proc/self/net/unix lists %s" % v)
routes = [l.split()[0] for l in rd("/proc/self/net/route").splitlines()[1:] if l.strip()]
if routes:
    hits.append("routes via %s" % routes)
if hits:
    escaped(hits)
denied("interfaces %s, no host sockets or routes; %s" % (ifs, "; ".join(notes)))
