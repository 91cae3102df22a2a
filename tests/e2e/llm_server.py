"""A scripted OpenAI-compatible chat-completions server for the e2e tests (scan review, later the
agent). Stdlib only; listens on 127.0.0.1, port 0 (the kernel picks one) unless told otherwise.

It answers POST /v1/chat/completions and POST /chat/completions from a script: a list of canned
responses consumed in order, one per request. Each entry is a JSON object with any of

    "status":  HTTP status (default 200)
    "content": the assistant message text; the body becomes a chat.completion around it
    "reply":   any JSON value, serialized as the content (handy for {"verdict": ...})
    "body":    the raw body instead (a string, or JSON serialized as it is)
    "headers": extra response headers, e.g. {"Retry-After": "0"}
    "delay":   seconds to wait before answering (timeouts)
    "finish_reason": default "stop"

When the script runs out every further request gets 410 {"error": {"message": "llm_server: script
exhausted"}} (not retried by clients), so a test sees an unexpected request as a failure, and
every request is recorded either way: {"method", "path", "headers", "body" (parsed JSON or None),
"raw" (text)}.

As a module:

    with LLMServer([{"reply": {"verdict": "high", "findings": [], "summary": "x"}}]) as srv:
        env = {"SKILLLITE_API_BASE": srv.base_url, ...}
        ...
        assert len(srv.requests) == 1

Standalone (prints nothing; writes the port once listening; runs until SIGTERM or SIGINT):

    python3 llm_server.py --script script.json [--port 0] [--port-file FILE] [--log FILE.jsonl]

script.json holds the list (or {"responses": [...]}). Control endpoints for a running server:
POST /_control/script with {"responses": [...], "append": false} replaces (or extends) the script,
GET /_control/requests returns the log, POST /_control/reset clears both."""
import argparse
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHAT_PATHS = ("/v1/chat/completions", "/chat/completions")
BODY_MAX = 64 * 1024 * 1024


def completion(content, finish_reason="stop", model="scripted"):
    """A chat.completion body around content."""
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content},
            "finish_reason": finish_reason,
        }],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def render(entry):
    """(status, headers, body bytes, delay) for one script entry."""
    status = int(entry.get("status", 200))
    headers = {"Content-Type": "application/json"}
    headers.update(entry.get("headers") or {})
    if "body" in entry:
        body = entry["body"]
        if not isinstance(body, (str, bytes)):
            body = json.dumps(body)
    else:
        if "reply" in entry:
            content = json.dumps(entry["reply"])
        else:
            content = entry.get("content", "")
        body = json.dumps(completion(content, entry.get("finish_reason", "stop")))
    if isinstance(body, str):
        body = body.encode()
    return status, headers, body, float(entry.get("delay", 0))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "llm_server/1"

    def log_message(self, *args):  # quiet
        pass

    def _read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n < 0 or n > BODY_MAX:
            raise ValueError("bad Content-Length")
        return self.rfile.read(n) if n else b""

    def _send(self, status, headers, body):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, str(v))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status, obj):
        self._send(status, {"Content-Type": "application/json"}, json.dumps(obj).encode())

    def do_GET(self):
        srv = self.server.owner
        if self.path == "/_control/requests":
            self._json(200, srv.requests)
        else:
            self._json(404, {"error": {"message": "not found"}})

    def do_POST(self):
        srv = self.server.owner
        raw = self._read_body()
        if self.path.startswith("/_control/"):
            try:
                data = json.loads(raw or b"{}")
            except ValueError:
                return self._json(400, {"error": {"message": "bad JSON"}})
            if self.path == "/_control/script":
                srv.set_script(data.get("responses", []), append=bool(data.get("append")))
                return self._json(200, {"ok": True})
            if self.path == "/_control/reset":
                srv.reset()
                return self._json(200, {"ok": True})
            return self._json(404, {"error": {"message": "not found"}})

        text = raw.decode("utf-8", "replace")
        try:
            body = json.loads(text)
        except ValueError:
            body = None
        srv.record({
            "method": self.command,
            "path": self.path,
            "headers": {k: v for k, v in self.headers.items()},
            "body": body,
            "raw": text,
        })
        if self.path not in CHAT_PATHS:
            return self._json(404, {"error": {"message": f"llm_server: no route {self.path}"}})
        entry = srv.next_entry()
        if entry is None:
            return self._json(410, {"error": {"message": "llm_server: script exhausted"}})
        status, headers, out, delay = render(entry)
        if delay:
            time.sleep(delay)
        try:
            self._send(status, headers, out)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class LLMServer:
    """The scripted server; start()/stop() or use as a context manager."""

    def __init__(self, script=None, host="127.0.0.1", port=0, log_path=None):
        self._lock = threading.Lock()
        self._script = list(script or [])
        self._requests = []
        self._log_path = log_path
        self._httpd = _Server((host, port), _Handler)
        self._httpd.owner = self
        self._thread = None

    @property
    def port(self):
        return self._httpd.server_address[1]

    @property
    def base_url(self):
        """The API base as clients are configured with it ("/v1", like OpenAI's)."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self):
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def set_script(self, responses, append=False):
        with self._lock:
            if not append:
                self._script = []
            self._script.extend(responses)

    def push(self, *responses):
        self.set_script(list(responses), append=True)

    def reset(self):
        with self._lock:
            self._script = []
            self._requests = []

    def next_entry(self):
        with self._lock:
            return self._script.pop(0) if self._script else None

    def record(self, req):
        with self._lock:
            self._requests.append(req)
            if self._log_path:
                with open(self._log_path, "a", encoding="utf-8") as f:
                    f.write(json.dumps(req) + "\n")

    @property
    def requests(self):
        """Every request so far (chat and unknown paths), oldest first."""
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self):
        return [r for r in self.requests if r["path"] in CHAT_PATHS]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--script", help="JSON file: a list of responses or {\"responses\": [...]}")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", help="write the port here once listening")
    ap.add_argument("--log", help="append every request as one JSON line")
    a = ap.parse_args(argv)
    script = []
    if a.script:
        with open(a.script, encoding="utf-8") as f:
            data = json.load(f)
        script = data.get("responses", []) if isinstance(data, dict) else data
    srv = LLMServer(script, host=a.host, port=a.port, log_path=a.log)
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"{srv.port}\n")
        os.replace(tmp, a.port_file)  # readers never see a half-written port
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    srv.start()
    stop.wait()
    srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
