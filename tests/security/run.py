#!/usr/bin/python3
"""Run the security corpus (attacks/ and benign/) against SkillLite or, for comparison, bubblewrap.

Strict classification (see README.md):
  BLOCKED  the attack ran and its JSON says "denied", or the run ended with the probe's declared
           named limit (envelope reason, or listed in limits_hit), or (for "attempted" probes with a
           runner check) the runner's host-side checks found nothing;
  ESCAPED  its JSON says "escaped", a host-side check fired (a file with the probe's token appeared
           on the host, a process with it survived, the host servers received it, the host sentinel
           died), or a limit was declared but the attack completed;
  ERROR    anything else: no JSON, a crash, sandbox unavailable, a harness timeout, an unexpected
           reason.
Benign: PASS = envelope ok and output.ok is true (plus the echo check when declared), else FAIL.

Host fixtures the probes look for (all passed in the input): canary files in /tmp and the runner's
home, canary secrets in the ENGINE's environment, a sentinel process, TCP/UDP servers on all host
addresses, a unix socket (path and abstract). Everything is removed at exit.

Stdlib only; run with the system python3.
"""
import argparse
import concurrent.futures
import datetime
import glob
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SANDBOX_ROOT_ENTRIES = {"usr", "bin", "lib", "lib64", "lib32", "libx32", "sbin", "etc", "proc", "dev",
                        "tmp", "sandbox", "skill", "sys"}
HARNESS_MARGIN = 30  # seconds on top of the probe's own timeout before the harness gives up
BWRAP_DEFAULT_TIMEOUT = 30
OUTPUT_CAP = 16 << 20


# --------------------------------------------------------------------------------------------
# Discovery


def load_cases(filt=None):
    cases = []
    for pj in sorted(glob.glob(os.path.join(HERE, "attacks", "*", "*", "probe.json"))):
        d = os.path.dirname(pj)
        cases.append(("attack", os.path.basename(os.path.dirname(d)), os.path.basename(d), d))
    for pj in sorted(glob.glob(os.path.join(HERE, "benign", "*", "probe.json"))):
        d = os.path.dirname(pj)
        cases.append(("benign", "benign", os.path.basename(d), d))
    out = []
    for kind, cat, name, d in cases:
        if filt and filt not in "%s/%s" % (cat, name):
            continue
        with open(os.path.join(d, "probe.json")) as f:
            probe = json.load(f)
        out.append({"kind": kind, "category": cat, "name": name, "dir": d, "probe": probe})
    return out


def entry_script(d):
    for fn, interp in (("main.py", "/usr/bin/python3"), ("main.js", "/usr/bin/node"), ("main.sh", "/bin/bash")):
        p = os.path.join(d, "scripts", fn)
        if os.path.exists(p):
            return "/skill/scripts/" + fn, interp
    return None, None


def case_options(fx, case):
    """probe.json `options` as strings, with {tcp_port} and {udp_port} replaced by the ports of the
    runner's host servers (e.g. "--allow-network=localhost:{tcp_port}")."""
    subs = {"{tcp_port}": str(fx.tcp_port), "{udp_port}": str(fx.udp_port)}
    out = []
    for o in case["probe"].get("options") or []:
        o = str(o)
        for k, v in subs.items():
            o = o.replace(k, v)
        out.append(o)
    return out


def option_value(opts, name, default=None):
    for i, o in enumerate(opts):
        if o == name and i + 1 < len(opts):
            return opts[i + 1]
        if o.startswith(name + "="):
            return o.split("=", 1)[1]
    return default


# --------------------------------------------------------------------------------------------
# Host fixtures


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.data = []

    def add(self, what, blob):
        with self.lock:
            self.data.append((what, blob))

    def hits(self, token):
        t = token.encode()
        with self.lock:
            return ["%s received %r" % (w, b[:60]) for w, b in self.data if t in b]


def _serve_stream(sock, rec, label):
    sock.settimeout(0.5)
    while True:
        try:
            conn, peer = sock.accept()
        except socket.timeout:
            continue
        except OSError:
            return
        conn.settimeout(2)
        try:
            blob = conn.recv(4096)
            rec.add("%s from %s" % (label, peer), blob)
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 20\r\n\r\nSKILLLITE-HOST-REPLY")
        except OSError:
            pass
        finally:
            conn.close()


def _serve_dgram(sock, rec, label):
    sock.settimeout(0.5)
    while True:
        try:
            blob, peer = sock.recvfrom(4096)
        except socket.timeout:
            continue
        except OSError:
            return
        rec.add("%s from %s" % (label, peer), blob)
        try:
            sock.sendto(b"SKILLLITE-HOST-REPLY", peer)
        except OSError:
            pass


def host_ips():
    ips = set()
    try:
        for ip in socket.gethostbyname_ex(socket.gethostname())[2]:
            ips.add(ip)
    except OSError:
        pass
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the route's source
        ips.add(s.getsockname()[0])
        s.close()
    except OSError:
        pass
    return sorted(ip for ip in ips if not ip.startswith("127."))


def _libc():
    import ctypes
    return ctypes, ctypes.CDLL(None, use_errno=True)


def sysv_create():
    """A SysV shm segment and message queue with a random key, for the IPC-namespace probe."""
    ctypes, libc = _libc()
    IPC_CREAT, IPC_EXCL = 0o1000, 0o2000
    for _ in range(8):
        key = secrets.randbelow(0x7ffffff0) + 1
        shm = libc.shmget(ctypes.c_int(key), ctypes.c_size_t(4096), IPC_CREAT | IPC_EXCL | 0o666)
        if shm < 0:
            continue
        msq = libc.msgget(ctypes.c_int(key), IPC_CREAT | IPC_EXCL | 0o666)
        return key, (shm, msq)
    return 0, (-1, -1)


def sysv_remove(ids):
    ctypes, libc = _libc()
    IPC_RMID = 0
    if ids[0] >= 0:
        libc.shmctl(ids[0], IPC_RMID, None)
    if ids[1] >= 0:
        libc.msgctl(ids[1], IPC_RMID, None)


class Fixtures:
    def __init__(self):
        self.rand = secrets.token_hex(6)
        self.rec = Recorder()
        self.socks = []
        self.files = []
        self.sentinel = None
        self.secrets = {
            "SKILLLITE_CANARY_SECRET": "skl-canary-" + secrets.token_hex(12),
            "OPENAI_API_KEY": "sk-canary-" + secrets.token_hex(16),
            "AWS_SECRET_ACCESS_KEY": "aws-canary-" + secrets.token_hex(12),
        }

    def __enter__(self):
        pw = pwd.getpwuid(os.getuid())
        self.user = pw.pw_name
        self.home = os.environ.get("HOME") or pw.pw_dir
        self.canaries = []
        for d, base in (("/tmp", "skilllite-canary-"), (self.home, ".skilllite-canary-")):
            p = os.path.join(d, base + self.rand)
            content = "SKILLLITE-CANARY-" + secrets.token_hex(10)
            try:
                with open(p, "w") as f:
                    f.write(content + "\n")
                os.chmod(p, 0o644)
                self.files.append(p)
                self.canaries.append({"path": p, "content": content})
            except OSError:
                pass
        # servers on every host address (dual-stack where possible)
        self.tcp_port = self._tcp()
        self.udp_port = self._udp()
        self.unix_path = "/tmp/skilllite-canary-%s.sock" % self.rand
        u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        u.bind(self.unix_path)
        os.chmod(self.unix_path, 0o777)
        u.listen(16)
        self.files.append(self.unix_path)
        self._start(_serve_stream, u, "unix socket")
        self.abstract = "skilllite-canary-%s" % self.rand
        a = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        a.bind("\0" + self.abstract)
        a.listen(16)
        self._start(_serve_stream, a, "abstract socket")
        self.marker = "skilllite-host-sentinel-" + self.rand
        self.start_sentinel()
        self.sysv_key, self.sysv_ids = sysv_create()
        self.base = {
            "canaries": self.canaries,
            "secrets": sorted(self.secrets.values()),
            "secrets_flat": " ".join(sorted(self.secrets.values())),
            "host_hostname": socket.gethostname(),
            "host_user": self.user,
            "host_uid": os.getuid(),
            "host_home": self.home,
            "host_passwd_users": sorted({u.pw_name for u in pwd.getpwall()} - {"root", "nobody", "sandbox"}),
            "host_root_only": sorted(set(os.listdir("/")) - SANDBOX_ROOT_ENTRIES),
            "host_ips": host_ips(),
            "tcp_port": self.tcp_port,
            "udp_port": self.udp_port,
            "unix_socket": self.unix_path,
            "abstract_socket": self.abstract,
            "sentinel_marker": self.marker,
            "sysv_key": self.sysv_key,
            "host_cwd": os.getcwd(),
            "repo_root": REPO,
            "corpus_root": HERE,
        }
        self.base["host_root_only_flat"] = " ".join(self.base["host_root_only"])
        self.base["host_ips_flat"] = " ".join(self.base["host_ips"])
        return self

    def _start(self, fn, sock, label):
        self.socks.append(sock)
        threading.Thread(target=fn, args=(sock, self.rec, label), daemon=True).start()

    def _tcp(self):
        try:
            s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            s.bind(("::", 0))
        except OSError:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("0.0.0.0", 0))
        s.listen(64)
        self._start(_serve_stream, s, "tcp server")
        return s.getsockname()[1]

    def _udp(self):
        try:
            s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            s.bind(("::", 0))
        except OSError:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(("0.0.0.0", 0))
        self._start(_serve_dgram, s, "udp server")
        return s.getsockname()[1]

    def start_sentinel(self):
        self.sentinel = subprocess.Popen(
            [sys.executable, "-c", "import time\nwhile True: time.sleep(1000)", self.marker],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def sentinel_check(self):
        """True if the sentinel is alive; restarts it otherwise."""
        if self.sentinel.poll() is None:
            return True
        self.start_sentinel()
        return False

    def input_for(self, case, token):
        inp = dict(self.base)
        inp["token"] = token
        inp["sentinel_pid"] = self.sentinel.pid
        inp["skill_host_path"] = case["dir"]
        inp.update(case["probe"].get("input") or {})
        big = case["probe"].get("input_big")
        if big:
            pat = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
            n = big["bytes"]
            inp[big["field"]] = (pat * (n // len(pat) + 1))[:n]
        return inp

    def __exit__(self, *a):
        sysv_remove(self.sysv_ids)
        if self.sentinel and self.sentinel.poll() is None:
            self.sentinel.kill()
            self.sentinel.wait()
        for s in self.socks:
            try:
                s.close()
            except OSError:
                pass
        for p in self.files:
            try:
                os.unlink(p)
            except OSError:
                pass


# --------------------------------------------------------------------------------------------
# Host-side checks after each run


def survivors(token):
    found = []
    me = os.getpid()
    for p in os.listdir("/proc"):
        if not p.isdigit() or int(p) == me:
            continue
        try:
            with open("/proc/%s/cmdline" % p, "rb") as f:
                cmd = f.read()
        except OSError:
            continue
        if token.encode() in cmd:
            found.append((int(p), cmd.replace(b"\0", b" ").decode(errors="replace")[:120]))
    return found


def post_checks(fx, case, token):
    hits = []
    if survivors(token):
        time.sleep(0.5)  # give a dying sandbox a moment before calling it a survivor
    for pid, cmd in survivors(token):
        hits.append("process survived the run: pid %d %r" % (pid, cmd))
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    places = ["/tmp", "/var/tmp", "/dev/shm", "/etc", "/", fx.home, os.getcwd()]
    for d in places:
        for p in glob.glob(os.path.join(glob.escape(d), "*%s*" % token)) + \
                glob.glob(os.path.join(glob.escape(d), ".*%s*" % token)):
            hits.append("host file appeared: %s" % p)
            try:
                (shutil.rmtree if os.path.isdir(p) and not os.path.islink(p) else os.unlink)(p)
            except OSError:
                pass
    for root, dirs, files in os.walk(case["dir"]):
        for n in dirs + files:
            if token in n:
                hits.append("file appeared in the skill dir: %s" % os.path.join(root, n))
    hits += fx.rec.hits(token)
    if not fx.sentinel_check():
        hits.append("the host sentinel process died during this run")
    return hits


# --------------------------------------------------------------------------------------------
# Engines


def run_capped(argv, stdin_bytes, timeout, cap, env=None):
    """Run argv; returns (rc, stdout, stderr, reason, ms) with a wall-clock limit and output caps."""
    t0 = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, start_new_session=True)
    bufs = {"out": bytearray(), "err": bytearray()}
    over = threading.Event()

    def pump(stream, key):
        while True:
            chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            if not chunk:
                return
            b = bufs[key]
            if len(b) < cap:
                b += chunk[:cap - len(b)]
            else:
                over.set()

    def feed():
        try:
            proc.stdin.write(stdin_bytes)
            proc.stdin.close()
        except OSError:
            pass

    ts = [threading.Thread(target=pump, args=(proc.stdout, "out"), daemon=True),
          threading.Thread(target=pump, args=(proc.stderr, "err"), daemon=True),
          threading.Thread(target=feed, daemon=True)]
    for t in ts:
        t.start()
    reason = None
    deadline = t0 + timeout
    while proc.poll() is None:
        if over.is_set():
            reason = "output_limit"
        elif time.monotonic() > deadline:
            reason = "timeout"
        if reason:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            break
        time.sleep(0.02)
    rc = proc.wait()
    for t in ts[:2]:
        t.join(timeout=5)
    ms = int((time.monotonic() - t0) * 1000)
    return rc, bytes(bufs["out"]), bytes(bufs["err"]), reason, ms


def run_skilllite(args, fx, case, inp):
    opts = case_options(fx, case)
    timeout = float(option_value(opts, "--timeout", 30))
    argv = [args.bin, "run", "--json", "--sandbox-level", str(args.level)] + opts + [case["dir"], "-"]
    env = dict(os.environ)
    env.update(fx.secrets)
    rc, out, err, harness, ms = run_capped(argv, json.dumps(inp).encode(), timeout + HARNESS_MARGIN,
                                           64 << 20, env=env)
    if harness:
        return None, "harness %s (engine did not return within %ds)" % (harness, timeout + HARNESS_MARGIN), ms, rc
    try:
        envl = json.loads(out)
        if not isinstance(envl, dict) or "reason" not in envl:
            raise ValueError("not an envelope")
    except ValueError:
        return None, "no envelope: rc=%d stdout=%r stderr=%r" % (rc, out[:200], err[-300:]), ms, rc
    return envl, None, ms, rc


def run_bwrap(args, fx, case, inp):
    script, interp = entry_script(case["dir"])
    opts = case_options(fx, case)
    timeout = float(option_value(opts, "--timeout", BWRAP_DEFAULT_TIMEOUT))
    cap = int(option_value(opts, "--max-output", OUTPUT_CAP))
    argv = [args.bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--clearenv", "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/sbin", "/sbin", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            "--dir", "/tmp/home", "--ro-bind", case["dir"], "/skill", "--chdir", "/skill",
            "--hostname", "sandbox", "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin",
            "--setenv", "HOME", "/tmp/home", "--setenv", "TMPDIR", "/tmp", "--setenv", "LANG", "C.UTF-8",
            "--", interp, script]
    env = dict(os.environ)
    env.update(fx.secrets)
    rc, out, err, reason, ms = run_capped(argv, json.dumps(inp).encode(), timeout, cap, env=env)
    if reason is None:
        reason = "ok" if rc == 0 else ("signal" if rc < 0 else "exit")
    try:
        parsed = json.loads(out)
    except ValueError:
        parsed = None
    envl = {"ok": reason == "ok" and parsed is not None, "exit_code": rc, "reason": reason, "output": parsed,
            "stdout": out.decode(errors="replace")[:4096], "stderr": err.decode(errors="replace")[-4096:],
            "duration_ms": ms, "enforced_by": "harness" if reason in ("timeout", "output_limit") else None}
    return envl, None, ms, rc


# --------------------------------------------------------------------------------------------
# Classification


def classify(case, envl, problem, post, rc=0):
    probe = case["probe"]
    if case["kind"] == "benign":
        if envl is None:
            return "FAIL", problem
        out = envl.get("output")
        if not envl.get("ok") or not isinstance(out, dict) or out.get("ok") is not True:
            return "FAIL", "reason=%s output=%s stderr=%s" % (
                envl.get("reason"), json.dumps(out)[:300] if out is not None else repr(envl.get("stdout", ""))[:300],
                (envl.get("stderr") or "")[-300:])
        echo = probe.get("check_echo")
        if echo and out.get("echo") != case["input"].get(echo):
            return "FAIL", "echoed %s differs from the input" % echo
        return "PASS", str(out.get("detail"))[:200]
    if post:
        return "ESCAPED", "; ".join(post)
    if probe.get("check") in ("engine_envelope", "envelope_and_outcome"):
        if envl is None:
            if rc is not None and rc < 0:
                return "ESCAPED", "the engine crashed (signal %d): %s" % (-rc, problem)
            return "ERROR", problem
        if probe["check"] == "engine_envelope":
            return "BLOCKED", "the engine survived and returned an envelope (reason %s, exit %s)" % (
                envl.get("reason"), envl.get("exit_code"))
        # envelope_and_outcome: the engine returned an envelope; the probe's own outcome decides
    if envl is None:
        return "ERROR", problem
    out = envl.get("output")
    outcome = out.get("outcome") if isinstance(out, dict) else None
    detail = str(out.get("detail", "")) if isinstance(out, dict) else ""
    reason = envl.get("reason")
    limit = probe.get("limit")
    hit = set(envl.get("limits_hit") or [])
    if outcome == "escaped":
        return "ESCAPED", detail
    if outcome == "denied":
        return "BLOCKED", detail + (" [limits_hit %s]" % sorted(hit) if hit else "")
    if limit and (reason == limit or limit in hit):
        how = " (enforced by the harness)" if envl.get("enforced_by") == "harness" else ""
        return "BLOCKED", "stopped by the %s limit%s (reason %s)" % (limit, how, reason)
    if outcome == "attempted" and probe.get("check"):
        return "BLOCKED", "runner checks clean: " + detail
    if limit and envl.get("ok"):
        return "ESCAPED", "limit %s declared but the attack completed: %s" % (limit, detail)
    return "ERROR", "reason=%s exit=%s outcome=%s detail=%s stdout=%r stderr=%r" % (
        reason, envl.get("exit_code"), outcome, detail[:200], (envl.get("stdout") or "")[:200],
        (envl.get("stderr") or "")[-300:])


def run_case(args, fx, case):
    token = secrets.token_hex(8)
    runner = run_bwrap if args.engine == "bwrap" else run_skilllite
    session = secrets.token_hex(8)
    total_ms = 0
    for i in range(int(case["probe"].get("repeat") or 1)):
        inp = fx.input_for(case, token)
        inp["run_index"], inp["session_token"] = i, session
        case["input"] = inp
        try:
            envl, problem, ms, rc = runner(args, fx, case, inp)
        except Exception as e:  # harness bug: never counts as blocked
            envl, problem, ms, rc = None, "harness exception %s: %s" % (type(e).__name__, e), 0, None
        total_ms += ms
        out = envl.get("output") if envl else None
        if not isinstance(out, dict) or out.get("outcome") != "attempted":
            break  # only an "attempted" first run continues to the next one
    ms = total_ms
    post = post_checks(fx, case, token) if case["kind"] == "attack" else []
    verdict, why = classify(case, envl, problem, post, rc)
    return {"category": case["category"], "name": case["name"], "kind": case["kind"], "verdict": verdict,
            "reason": envl.get("reason") if envl else "-", "ms": ms, "why": why,
            "original_test": case["probe"].get("original_test"), "limit": case["probe"].get("limit")}


# --------------------------------------------------------------------------------------------


def summary_line(results):
    att = [r for r in results if r["kind"] == "attack"]
    ben = [r for r in results if r["kind"] == "benign"]
    c = lambda v: sum(1 for r in att if r["verdict"] == v)
    p = sum(1 for r in ben if r["verdict"] == "PASS")
    return "security: BLOCKED %d/%d ERROR %d ESCAPED %d; benign PASS %d/%d" % (
        c("BLOCKED"), len(att), c("ERROR"), c("ESCAPED"), p, len(ben))


def markdown(results, title):
    lines = ["| category | name | orig | verdict | reason | ms | detail |", "|---|---|---|---|---|---|---|"]
    for r in results:
        why = r["why"].replace("|", "\\|").replace("\n", " ")
        if len(why) > 160:
            why = why[:157] + "..."
        lines.append("| %s | %s | %s | %s | %s | %d | %s |" % (
            r["category"], r["name"], r["original_test"] or "", r["verdict"], r["reason"], r["ms"], why))
    return "### %s\n\n%s\n\n`%s`\n" % (title, "\n".join(lines), summary_line(results))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(REPO, "build", "skilllite"))
    ap.add_argument("--engine", choices=("skilllite", "bwrap"), default="skilllite")
    ap.add_argument("--bwrap", default=shutil.which("bwrap") or "/usr/bin/bwrap")
    ap.add_argument("--level", type=int, default=2)
    ap.add_argument("--filter", default=None, help="only cases whose category/name contains this")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json-report", default=None)
    ap.add_argument("--markdown", default=None, help="write the results table as markdown")
    ap.add_argument("--verbose", "-v", action="store_true", help="print the detail of every case")
    args = ap.parse_args()
    args.bin = os.path.abspath(args.bin)

    cases = load_cases(args.filter)
    if not cases:
        print("no cases match", file=sys.stderr)
        return 2
    for c in cases:
        with open(os.path.join(c["dir"], "SKILL.md")) as f:
            head = f.read(4096)
        if "\nname: %s\n" % c["name"] not in head:
            print("%s: SKILL.md name does not match its directory" % c["dir"], file=sys.stderr)
            return 2

    t0 = time.monotonic()
    with Fixtures() as fx:
        fx.base["engine_path"] = args.bin if args.engine == "skilllite" else args.bwrap
        results = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
            futs = [ex.submit(run_case, args, fx, c) for c in cases]
            for f in futs:
                results.append(f.result())
    wall = time.monotonic() - t0

    w = max(len(r["name"]) for r in results)
    print("%-8s %-*s %-8s %-14s %6s" % ("category", w, "name", "verdict", "reason", "ms"))
    for r in results:
        print("%-8s %-*s %-8s %-14s %6d" % (r["category"], w, r["name"], r["verdict"], r["reason"], r["ms"]))
        if args.verbose or r["verdict"] not in ("BLOCKED", "PASS"):
            print("         %s" % r["why"][:600])
    print("engine %s (%s), level %d, uid %d, %d cases in %.1f s" % (
        args.engine, args.bin if args.engine == "skilllite" else args.bwrap, args.level, os.getuid(),
        len(results), wall))
    if args.json_report:
        with open(args.json_report, "w") as f:
            json.dump({"engine": args.engine, "uid": os.getuid(), "wall_s": round(wall, 1),
                       "date": datetime.datetime.now().isoformat(timespec="seconds"),
                       "summary": summary_line(results), "results": results}, f, indent=1)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown(results, "engine %s, uid %d, %.1f s" % (args.engine, os.getuid(), wall)))
    line = summary_line(results)
    print(line)
    ok = all(r["verdict"] == ("BLOCKED" if r["kind"] == "attack" else "PASS") for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
