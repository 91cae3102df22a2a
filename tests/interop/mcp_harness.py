"""Helpers shared by tests/e2e/test_mcp_interop.py and tests/e2e/test_mcp_schema.py: the
environment for `skilllite mcp`, a scripted stdio session that records a transcript for
validate.mjs, the HTTP server started on a free loopback port, and running the Node tools
(SDK client, validator, MCP Inspector CLI, conformance suite) from the repository's
node_modules.

Tests that need node_modules fail (never skip) when it is missing: run `npm ci` in the
repository root, or `sh tools/deps.sh`."""
import json
import os
import pathlib
import queue
import re
import shutil
import signal
import subprocess
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
INTEROP = ROOT / "tests" / "interop"
NODE = shutil.which("node", path="/usr/bin:/bin") or "/usr/bin/node"
NPX = shutil.which("npx", path="/usr/bin:/bin") or "/usr/bin/npx"
NODE_PACKAGES = ["@modelcontextprotocol/sdk", "@modelcontextprotocol/inspector",
                 "@modelcontextprotocol/conformance", "ajv", "ajv-formats"]
LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:(\d+)/mcp)")
SANITIZER_VARS = ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS")
# stdio and HTTP answers under ASan on a loaded 2-core machine can be slow
TIMEOUT = float(os.environ.get("SKILLLITE_MCP_TEST_TIMEOUT", "90"))


def node_modules_problem():
    """None when every npm package the interop tests use is installed, else a message."""
    missing = [p for p in NODE_PACKAGES if not (ROOT / "node_modules" / p / "package.json").is_file()]
    if not missing:
        return None
    return (f"node_modules is missing {', '.join(missing)} (looked in {ROOT / 'node_modules'}). "
            "These tests need the npm packages pinned in package-lock.json: run `npm ci --no-audit "
            "--no-fund` in the repository root (or `sh tools/deps.sh`, which does it when "
            "node_modules is absent).")


def base_env(home, **extra):
    """A clean environment: fixed PATH, private HOME, sandbox level 2, sanitizer options kept."""
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(home),
           "SKILLLITE_SANDBOX_LEVEL": "2",
           "NPM_CONFIG_UPDATE_NOTIFIER": "false", "NPM_CONFIG_FUND": "false",
           "NPM_CONFIG_AUDIT": "false", "NO_COLOR": "1"}
    for keep in SANITIZER_VARS:
        if keep in os.environ:
            env[keep] = os.environ[keep]
    env.update({k: str(v) for k, v in extra.items()})
    return env


def copy_skills(dest):
    """A private copy of the bundled skills (the server must never write to the checkout)."""
    shutil.copytree(ROOT / "skills", dest, symlinks=True)
    return dest


def need_node_modules():
    """Called first by every test that runs Node: a missing node_modules is a failure, not a skip."""
    problem = node_modules_problem()
    if problem:
        import pytest
        pytest.fail(problem)


def private_setup(tmp_path):
    """(skills, env): a private copy of the bundled skills and a clean environment with a private
    HOME under tmp_path."""
    home = tmp_path / "home"
    home.mkdir()
    return copy_skills(tmp_path / "skills"), base_env(home)


def run_node(args, env, timeout=TIMEOUT * 2, cwd=ROOT):
    """Run `node <args>` (paths relative to the repository); returns CompletedProcess."""
    return subprocess.run([NODE, *map(str, args)], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=timeout)


def run_npx(args, env, timeout=TIMEOUT * 2, cwd=ROOT):
    """`npx --no-install <args>` from the repository root: only the locally installed packages."""
    return subprocess.run([NPX, "--no-install", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=timeout)


def validate(version, transcript, env):
    """Run validate.mjs on a transcript file; returns (ok, output)."""
    p = run_node([INTEROP / "validate.mjs", version, transcript], env)
    return p.returncode == 0, (p.stdout + p.stderr).strip()


def describe(proc):
    return f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"


class StdioSession:
    """`skilllite mcp` over stdio, one JSON-RPC message per line, with a recorded transcript."""

    def __init__(self, cmd, env, cwd=None):
        self.cmd = [str(c) for c in cmd]
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env, cwd=cwd)
        self.lines = queue.Queue()
        self.stderr_chunks = []
        self.transcript = []
        self.non_json = []
        threading.Thread(target=self._pump_out, daemon=True).start()
        threading.Thread(target=self._pump_err, daemon=True).start()

    def _pump_out(self):
        for raw in self.proc.stdout:
            self.lines.put(raw)
        self.lines.put(None)

    def _pump_err(self):
        for raw in self.proc.stderr:
            self.stderr_chunks.append(raw.decode("utf-8", "replace"))

    @property
    def stderr(self):
        return "".join(self.stderr_chunks)

    def _write(self, text):
        self.proc.stdin.write(text.encode() + b"\n")
        self.proc.stdin.flush()

    def send(self, msg, malformed=False):
        entry = {"dir": "c2s", "msg": msg}
        if malformed:
            entry["malformed"] = True
        self.transcript.append(entry)
        self._write(json.dumps(msg))

    def send_raw(self, text):
        self.transcript.append({"dir": "c2s", "raw": text})
        self._write(text)

    def recv(self, timeout=TIMEOUT):
        try:
            raw = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no message from the server within {timeout}s; stderr:\n{self.stderr}")
        return self._decode(raw)

    def _decode(self, raw):
        if raw is None:
            self.lines.put(None)
            raise AssertionError(f"server closed stdout (exit {self.proc.poll()}); stderr:\n{self.stderr}")
        text = raw.decode("utf-8", "replace").rstrip("\n")
        try:
            msg = json.loads(text)
        except ValueError:
            self.non_json.append(text)
            raise AssertionError(f"server wrote a line that is not JSON: {text[:300]!r}")
        self.transcript.append({"dir": "s2c", "msg": msg})
        return msg

    def wait_for(self, pred, timeout=TIMEOUT):
        """Receive until pred(msg); everything received is recorded."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no matching message within {timeout}s; stderr:\n{self.stderr}")
            msg = self.recv(left)
            if pred(msg):
                return msg

    def request(self, rid, method, params=None, malformed=False, **extra):
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        msg.update(extra)
        self.send(msg, malformed=malformed)
        return self.wait_for(lambda m: isinstance(m, dict) and m.get("id") == rid
                             and ("result" in m or "error" in m))

    def request_raw(self, text):
        """Send bytes that are not a usable request; the answer is the next error without an id."""
        self.send_raw(text)
        return self.wait_for(lambda m: isinstance(m, dict) and "error" in m and m.get("id") is None)

    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def expect_silence(self, seconds=0.5):
        """Nothing arrives for `seconds` (a notification must not be answered)."""
        try:
            raw = self.lines.get(timeout=seconds)
        except queue.Empty:
            return
        msg = self._decode(raw)
        raise AssertionError(f"unexpected message from the server: {msg}")

    def close(self, timeout=TIMEOUT):
        """EOF on stdin; returns the exit status."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"server did not exit within {timeout}s of EOF; stderr:\n{self.stderr}")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def write_transcript(self, path):
        path = pathlib.Path(path)
        path.write_text("".join(json.dumps(e) + "\n" for e in self.transcript))
        return path


class HttpServer:
    """`skilllite mcp --http 127.0.0.1:0`: started, its port read from stderr, stopped by stop()."""

    def __init__(self, cmd, env, cwd=None, timeout=TIMEOUT):
        self.cmd = [str(c) for c in cmd]
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env, cwd=cwd)
        self.stderr_lines = []
        self.stdout_chunks = []
        self._found = queue.Queue()
        threading.Thread(target=self._pump_err, daemon=True).start()
        threading.Thread(target=self._pump_out, daemon=True).start()
        try:
            got = self._found.get(timeout=timeout)
        except queue.Empty:
            got = None
        if got is None:
            self.stop()
            raise AssertionError(f"`{' '.join(self.cmd)}` printed no 'listening on http://127.0.0.1:"
                                 f"<port>/mcp' line within {timeout}s (exit {self.proc.poll()}); "
                                 f"stderr:\n{self.stderr}")
        self.url, self.port = got[0], int(got[1])

    def _pump_err(self):
        announced = False
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace")
            self.stderr_lines.append(line)
            m = LISTENING.search(line)
            if m and not announced:
                announced = True
                self._found.put((m.group(1), m.group(2)))
        if not announced:
            self._found.put(None)

    def _pump_out(self):
        for raw in self.proc.stdout:
            self.stdout_chunks.append(raw.decode("utf-8", "replace"))

    @property
    def stderr(self):
        return "".join(self.stderr_lines)

    def stop(self, timeout=TIMEOUT):
        """SIGTERM, then wait; returns the exit status (negative: killed by that signal)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError(f"HTTP server ignored SIGTERM for {timeout}s; stderr:\n{self.stderr}")
        return self.proc.returncode
