"""A small scripted MCP client for the tests of `skilllite mcp`: the stdio transport (one JSON
message per line, answers matched by id, server requests such as elicitation answered by a
callback) and the Streamable HTTP transport (urllib, JSON or server-sent events)."""
import json
import os
import queue
import re
import select
import subprocess
import threading
import time
import urllib.error
import urllib.request

from conftest import BIN_DIR

PROTOCOL = "2025-11-25"


def server_env(skills_dir=None, home=None, level="3", extra=None):
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "SKILLLITE_SANDBOX_LEVEL": str(level)}
    for keep in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if keep in os.environ:
            env[keep] = os.environ[keep]
    if skills_dir is not None:
        env["SKILLLITE_SKILLS_DIR"] = str(skills_dir)
    if home is not None:
        env["HOME"] = str(home)
    if extra:
        env.update(extra)
    return env


class StdioClient:
    """skilllite mcp over stdio. on_request(msg) -> result dict answers server requests."""

    def __init__(self, args=(), env=None, binary="skilllite", on_request=None):
        self.proc = subprocess.Popen(
            [str(BIN_DIR / binary), "mcp", *map(str, args)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.on_request = on_request
        self.next_id = 1
        self.messages = queue.Queue()
        self.pending = {}
        self.server_requests = []
        self.stderr = b""
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.err_reader = threading.Thread(target=self._read_err, daemon=True)
        self.err_reader.start()

    def _read(self):
        for line in self.proc.stdout:
            try:
                msg = json.loads(line)
            except ValueError:
                msg = {"unparsable": line.decode(errors="replace")}
            if "method" in msg and "id" in msg and self.on_request:
                self.server_requests.append(msg)
                reply = self.on_request(msg)
                if reply is not None:
                    self.send(reply)
                continue
            self.messages.put(msg)

    def _read_err(self):
        for line in self.proc.stderr:
            self.stderr += line

    def send(self, msg):
        data = msg if isinstance(msg, (bytes, str)) else json.dumps(msg)
        if isinstance(data, str):
            data = data.encode()
        self.proc.stdin.write(data + b"\n")
        self.proc.stdin.flush()

    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def request_async(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return rid

    def receive(self, timeout=60):
        return self.messages.get(timeout=timeout)

    def wait_for(self, rid, timeout=90):
        if rid in self.pending:
            return self.pending.pop(rid)
        deadline = time.time() + timeout
        while True:
            msg = self.messages.get(timeout=max(0.1, deadline - time.time()))
            if msg.get("id") == rid:
                return msg
            self.pending[msg.get("id")] = msg

    def request(self, method, params=None, timeout=90):
        return self.wait_for(self.request_async(method, params), timeout)

    def initialize(self, version=PROTOCOL, capabilities=None):
        r = self.request("initialize", {"protocolVersion": version, "capabilities": capabilities or {},
                                        "clientInfo": {"name": "pytest", "version": "1"}})
        self.notify("notifications/initialized")
        return r

    def call(self, name, arguments=None, timeout=90):
        return self.request("tools/call", {"name": name, "arguments": arguments or {}}, timeout)

    def close(self, timeout=30):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.reader.join(5)
        self.err_reader.join(5)
        return code

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        code = self.close()
        if exc_type is None:
            check_exit("mcp (stdio)", code, self.stderr)


SANITIZER_MARKS = (b"ERROR: AddressSanitizer", b"ERROR: LeakSanitizer", b"runtime error:")


def check_exit(what, code, stderr):
    """The server must end cleanly: exit 0 and no sanitizer report (ASan build)."""
    for mark in SANITIZER_MARKS:
        assert mark not in stderr, f"{what}: {stderr.decode(errors='replace')[-4000:]}"
    assert code == 0, f"{what} exited {code}: {stderr.decode(errors='replace')[-2000:]}"


class HttpServer:
    """skilllite mcp --http 127.0.0.1:0 in the background; .url once it listens."""

    def __init__(self, args=(), env=None, binary="skilllite"):
        self.proc = subprocess.Popen(
            [str(BIN_DIR / binary), "mcp", "--http", "127.0.0.1:0", *map(str, args)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.url = None
        deadline = time.time() + 30
        buf = b""
        while time.time() < deadline and self.url is None:
            r, _, _ = select.select([self.proc.stderr], [], [], 0.5)
            if r:
                chunk = os.read(self.proc.stderr.fileno(), 4096)
                if not chunk:
                    break
                buf += chunk
                m = re.search(rb"listening on (http://127\.0\.0\.1:\d+/mcp)", buf)
                if m:
                    self.url = m.group(1).decode()
        if self.url is None:
            self.proc.kill()
            raise RuntimeError(f"mcp --http did not start: {buf!r}")
        self.port = int(self.url.split(":")[2].split("/")[0])

    def stop(self):
        self.proc.terminate()
        try:
            code = self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.stderr = self.proc.stderr.read()
        return code

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        code = self.stop()
        if exc_type is None:
            check_exit("mcp --http", code, self.stderr)


class HttpResponse:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def events(self):
        """The JSON messages of a text/event-stream body."""
        out = []
        for block in self.body.decode().split("\n\n"):
            data = [line[5:].lstrip() for line in block.split("\n") if line.startswith("data:")]
            if data:
                out.append(json.loads("\n".join(data)))
        return out

    def messages(self):
        ctype = self.headers.get("Content-Type", "")
        if ctype.startswith("text/event-stream"):
            return self.events()
        return [self.json()] if self.body else []


def http(url, method="POST", body=None, headers=None, timeout=60):
    """One HTTP request; errors come back as responses, not exceptions."""
    hdrs = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    if headers:
        hdrs.update(headers)
    hdrs = {k: v for k, v in hdrs.items() if v is not None}
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return HttpResponse(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return HttpResponse(e.code, e.headers, e.read())


class HttpSession:
    """An initialized MCP session over HTTP."""

    def __init__(self, url, version=PROTOCOL, capabilities=None, headers=None):
        self.url = url
        self.extra = dict(headers or {})
        self.next_id = 1
        r = self.post({"jsonrpc": "2.0", "id": self._id(), "method": "initialize",
                       "params": {"protocolVersion": version, "capabilities": capabilities or {},
                                  "clientInfo": {"name": "pytest", "version": "1"}}}, session=False)
        assert r.status == 200, (r.status, r.body)
        self.init = r.json()
        self.session_id = r.headers["Mcp-Session-Id"]
        self.version = self.init["result"]["protocolVersion"]
        n = self.post({"jsonrpc": "2.0", "method": "notifications/initialized"})
        assert n.status == 202, (n.status, n.body)

    def _id(self):
        i = self.next_id
        self.next_id += 1
        return i

    def headers(self, session=True):
        h = dict(self.extra)
        if session:
            h["Mcp-Session-Id"] = self.session_id
            h["MCP-Protocol-Version"] = self.version
        return h

    def post(self, msg, session=True, headers=None, timeout=90):
        h = self.headers(session)
        if headers:
            h.update(headers)
        return http(self.url, body=msg, headers=h, timeout=timeout)

    def request(self, method, params=None, headers=None, timeout=90):
        msg = {"jsonrpc": "2.0", "id": self._id(), "method": method}
        if params is not None:
            msg["params"] = params
        return self.post(msg, headers=headers, timeout=timeout)

    def call(self, name, arguments=None):
        r = self.request("tools/call", {"name": name, "arguments": arguments or {}})
        assert r.status == 200, (r.status, r.body)
        msgs = r.messages()
        return msgs[-1]

    def delete(self):
        return http(self.url, method="DELETE", headers=self.headers())
