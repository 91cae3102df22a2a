"""A private network for the network e2e tests: its own network + mount namespace with fake
public hosts, a private /etc/hosts and recording servers. Needs root.

    lab = Lab()            # pytest.skip()s with the reason when it cannot be built
    lab.start_server()     # netlab_server.py inside the lab; returns once every socket listens
    lab.run(argv, input=None, env=None, timeout=60, cwd="/", user=None)  -> CompletedProcess
    lab.log("api")         # what the server named "api" recorded (list of dicts)
    lab.clear_logs()
    lab.close()

How it works: `unshare --net --mount --propagation private -- sleep infinity` holds the two
namespaces; every command enters them with `nsenter -t PID -n -m`. In there:

  lo up, with 203.0.113.10/32, 203.0.113.20/32, 10.1.2.3/32, 169.254.169.254/32 and
  2001:db8::10/128 (nodad; when IPv6 is unavailable the lab has no v6.test and no "v6"
  server, and IPv6 tests skip through lab.need_ipv6()) besides 127.0.0.1 and ::1. Nothing else: no route leaves the lab.

  /etc/hosts (a bind mount visible only in the lab's mount namespace):
      203.0.113.10     api.test www.api.test a.svc.test
      203.0.113.20     other.test
      127.0.0.1        rebind.test
      10.1.2.3         private.test
      169.254.169.254  metadata.test
      2001:db8::10     v6.test

  The servers (netlab_server.py; names are the log names):
      api        203.0.113.10:80      api8080  203.0.113.10:8080   api-tls   203.0.113.10:443 (TLS)
      other      203.0.113.20:80      other-tls 203.0.113.20:443 (TLS)
      v6         [2001:db8::10]:80
      loop80     127.0.0.1:80         loop9999 127.0.0.1:9999     (the host's loopback services)
      private    10.1.2.3:80          metadata 169.254.169.254:80
      udp53      203.0.113.10:53/udp  udp5353  127.0.0.1:5353/udp (echo)
      unix       <lab.dir>/unix.sock
  The TLS servers use a self-signed certificate for api.test and www.api.test: lab.ca_pem is its
  path (the CA a client trusts is that same certificate).

The lab's temporary directory is world-readable (uid 65534 runs use it). Every process of the lab
is killed by close(); the namespaces, and with them the bind mount and the addresses, vanish with
the last one."""
import ctypes
import json
import os
import pathlib
import select
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

HERE = pathlib.Path(__file__).resolve().parent
PYTHON = "/usr/bin/python3"

V4_ADDRESSES = ["203.0.113.10", "203.0.113.20", "10.1.2.3", "169.254.169.254"]
V6_ADDRESSES = ["2001:db8::10"]
HOSTS = {
    "api.test": "203.0.113.10",
    "www.api.test": "203.0.113.10",
    "a.svc.test": "203.0.113.10",
    "other.test": "203.0.113.20",
    "rebind.test": "127.0.0.1",
    "private.test": "10.1.2.3",
    "metadata.test": "169.254.169.254",
    "v6.test": "2001:db8::10",
}
HOSTS_FILE = """\
# the SkillLite network lab's private /etc/hosts
127.0.0.1 localhost
::1 localhost
203.0.113.10 api.test www.api.test a.svc.test
203.0.113.20 other.test
127.0.0.1 rebind.test
10.1.2.3 private.test
169.254.169.254 metadata.test
2001:db8::10 v6.test
203.0.113.20 mixed.test
127.0.0.1 mixed.test
"""
SYS_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
SERVER_NAMES = ["api", "api8080", "api-tls", "other", "other-tls", "v6", "loop80", "loop9999",
                "private", "metadata", "udp53", "udp5353", "unix"]

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def _die_with_parent():
    """preexec_fn: SIGKILL this child if the test process dies, so nothing of the lab is left."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Lab:
    def __init__(self):
        self.holder = None
        self.server = None
        self.dir = None
        self.ipv6 = True  # False when IPv6 is unavailable here: no v6.test, no "v6" server
        if os.geteuid() != 0:
            pytest.skip("the network lab needs root (network and mount namespaces, bind mounts)")
        for tool in ("unshare", "nsenter", "ip", "mount", "openssl"):
            if not shutil.which(tool, path=SYS_PATH):
                pytest.skip(f"the network lab needs {tool}, which is not installed")
        try:
            self._build()
        except BaseException:
            self.close()
            raise

    # --- building and tearing down -----------------------------------------------------------

    def _build(self):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="skilllite-netlab-"))
        os.chmod(self.dir, 0o755)
        (self.dir / "logs").mkdir(mode=0o755)
        self.hosts_file = self.dir / "hosts"
        self.ca_pem = self.dir / "ca.pem"
        self.key_pem = self.dir / "key.pem"
        p = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=api.test",
             "-addext", "subjectAltName=DNS:api.test,DNS:www.api.test", "-days", "2",
             "-keyout", str(self.key_pem), "-out", str(self.ca_pem)],
            capture_output=True, text=True, timeout=60, env={"PATH": SYS_PATH})
        if p.returncode != 0:
            pytest.skip(f"openssl could not make the lab's certificate: {p.stderr.strip()}")
        os.chmod(self.ca_pem, 0o644)

        host_hosts = pathlib.Path("/etc/hosts").read_bytes()
        self.holder = subprocess.Popen(
            ["unshare", "--net", "--mount", "--propagation", "private", "--", "sleep", "infinity"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env={"PATH": SYS_PATH}, preexec_fn=_die_with_parent)
        # Enter only once unshare has exec'd sleep: by then the namespaces exist and the mount
        # propagation is private, so nothing mounted in the lab can reach the host.
        deadline = time.monotonic() + 10
        while True:
            if self.holder.poll() is not None:
                err = self.holder.stderr.read().decode(errors="replace").strip()
                pytest.skip(f"cannot create the lab's namespaces (unshare --net --mount): {err}")
            try:
                comm = pathlib.Path(f"/proc/{self.holder.pid}/comm").read_text().strip()
            except OSError:
                comm = ""
            if comm == "sleep":
                break
            if time.monotonic() > deadline:
                pytest.skip("unshare did not start its sleep within 10 s")
            time.sleep(0.01)
        if os.readlink(f"/proc/{self.holder.pid}/ns/net") == os.readlink("/proc/self/ns/net"):
            pytest.skip("unshare --net did not create a network namespace")

        steps = [["ip", "link", "set", "lo", "up"]]
        steps += [["ip", "addr", "add", f"{a}/32", "dev", "lo"] for a in V4_ADDRESSES]
        for argv in steps:
            p = self.run(argv, timeout=20)
            if p.returncode != 0:
                pytest.skip(f"network lab setup failed: {' '.join(argv)}: {p.stderr.strip()}")
        for a in V6_ADDRESSES:
            if self.run(["ip", "-6", "addr", "add", f"{a}/128", "dev", "lo", "nodad"], timeout=20).returncode:
                self.ipv6 = False  # the IPv6 tests skip
        self.hosts_text = HOSTS_FILE if self.ipv6 else "".join(
            line for line in HOSTS_FILE.splitlines(True) if ":" not in line.split()[0])
        self.hosts_file.write_text(self.hosts_text)
        os.chmod(self.hosts_file, 0o644)
        p = self.run(["mount", "--bind", str(self.hosts_file), "/etc/hosts"], timeout=20)
        if p.returncode != 0:
            pytest.skip(f"network lab setup failed: mount --bind ... /etc/hosts: {p.stderr.strip()}")
        if pathlib.Path("/etc/hosts").read_bytes() != host_hosts:  # must never happen
            raise RuntimeError("the lab's /etc/hosts bind mount leaked to the host's mount namespace")
        p = self.run(["cat", "/etc/hosts"])
        if p.stdout != self.hosts_text:
            pytest.skip(f"the lab's /etc/hosts is not in effect: {p.stdout!r} {p.stderr!r}")

    def start_server(self, timeout=20):
        """Start netlab_server.py in the lab; returns when it printed "ready"."""
        if self.server is not None:
            return
        self.server = subprocess.Popen(
            self._enter([PYTHON, str(HERE / "netlab_server.py"), "--dir", str(self.dir),
                         "--cert", str(self.ca_pem), "--key", str(self.key_pem),
                         *([] if self.ipv6 else ["--no-ipv6"])]),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={"PATH": SYS_PATH, "LANG": "C.UTF-8"}, preexec_fn=_die_with_parent)
        deadline = time.monotonic() + timeout
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.server.stdout], [], [], left)[0]:
                raise RuntimeError("the lab's servers did not become ready")
            chunk = os.read(self.server.stdout.fileno(), 1)
            if not chunk:
                break
            line += chunk
        if line.strip() != b"ready":
            self.server.kill()
            err = self.server.stderr.read().decode(errors="replace")
            self.server.wait()
            self.server = None
            raise RuntimeError(f"the lab's servers failed to start: {line!r} {err}")

    def close(self):
        """Kill everything the lab started (by pid) and remove its directory. Idempotent."""
        for attr in ("server", "holder"):
            proc = getattr(self, attr, None)
            if proc is None:
                continue
            if proc.poll() is None:
                proc.kill()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                if stream:
                    stream.close()
            setattr(self, attr, None)
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    # --- using it ------------------------------------------------------------------------------

    @property
    def pid(self):
        return self.holder.pid

    def _enter(self, argv, cwd="/", user=None):
        prefix = ["nsenter", "-t", str(self.holder.pid), "-n", "-m", f"--wd={cwd}", "--"]
        if user == "nobody":
            prefix += NOBODY
        elif user is not None:
            raise ValueError(f"unknown user {user!r}")
        return prefix + [str(a) for a in argv]

    def need_ipv6(self):
        if not self.ipv6:
            pytest.skip("IPv6 is not available in the lab here")

    def run(self, argv, input=None, env=None, timeout=60, cwd="/", user=None):
        """Run argv inside the lab (user="nobody": as uid/gid 65534). env replaces the environment
        (default: PATH and LANG only). Returns the CompletedProcess (text mode)."""
        if env is None:
            env = {"PATH": SYS_PATH, "LANG": "C.UTF-8"}
        return subprocess.run(self._enter(argv, cwd=cwd, user=user), input=input, env=env,
                              capture_output=True, text=True, timeout=timeout)

    def log(self, name):
        """The records of one server, oldest first."""
        if name not in SERVER_NAMES:
            raise ValueError(f"no lab server named {name!r}")
        path = self.dir / "logs" / f"{name}.log"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def requests(self, name):
        return [r for r in self.log(name) if r["event"] == "request"]

    def clear_logs(self):
        for f in (self.dir / "logs").iterdir():
            with open(f, "w"):
                pass

    def heard(self, *names):
        """The names of the servers (all when none given) that recorded anything: a test asserts
        heard("api") == [] for "the api server never received a connection"."""
        return [n for n in (names or SERVER_NAMES) if self.log(n)]
