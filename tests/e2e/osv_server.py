"""A scripted OSV API server for the e2e tests of `--online` (src/scan/advisory_online.c). Stdlib
only; listens on 127.0.0.1, port 0 (the kernel picks one) unless told otherwise.

It holds a list of OSV documents and answers like https://api.osv.dev does:

    POST /v1/querybatch  {"queries": [{"package": {"name", "ecosystem"}, "version"?, "page_token"?}]}
                         -> {"results": [{"vulns": [{"id", "modified"}], "next_page_token"?}]}
    GET  /v1/vulns/<id>  -> the document, or 404

A query names every document with an affected[] entry for its package (PyPI names compared
PEP 503-normalised); the version is NOT evaluated here, the client must do that itself. With
page_size set, a query's answer comes page_size ids at a time, with next_page_token "p<offset>".

Faults, settable at any time (server.faults or the control endpoint):

    "batch_status": HTTP status for querybatch (e.g. 500)
    "batch_body":   raw body for querybatch instead of the answer (garbage)
    "batch_delay":  seconds to wait before answering querybatch (timeouts)
    "vuln_status":  {id: status} for GET /v1/vulns/<id>
    "vuln_body":    {id: raw body}
    "extra_ids":    {package name: [ids]} listed in query answers besides the real ones

Every request is recorded: {"method", "path", "body" (parsed JSON or None)}.

As a module:

    with OSVServer([doc, ...], page_size=1) as srv:
        env = {"SKILLLITE_OSV_API": srv.base_url}
        ...

Standalone (runs until SIGTERM or SIGINT):

    python3 osv_server.py --docs DIR [--port 0] [--port-file FILE] [--page-size N]

Control endpoints: POST /_control/faults with the faults object, GET /_control/requests,
POST /_control/reset (clears requests and faults)."""
import argparse
import json
import os
import pathlib
import re
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY_MAX = 16 * 1024 * 1024


def normalize(ecosystem, name):
    if ecosystem == "PyPI":
        return re.sub(r"[-_.]+", "-", name).lower()
    return name.lower()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "osv_server/1"

    def log_message(self, *args):  # quiet
        pass

    def _read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n < 0 or n > BODY_MAX:
            raise ValueError("bad Content-Length")
        return self.rfile.read(n) if n else b""

    def _send(self, status, body, content_type="application/json"):
        if isinstance(body, str):
            body = body.encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def _json(self, status, obj):
        self._send(status, json.dumps(obj))

    def do_GET(self):
        srv = self.server.owner
        if self.path == "/_control/requests":
            return self._json(200, srv.requests)
        srv.record({"method": "GET", "path": self.path, "body": None})
        m = re.fullmatch(r"/v1/vulns/(.+)", self.path)
        if not m:
            return self._json(404, {"code": 5, "message": "not found"})
        vid = m.group(1)
        faults = srv.faults
        if vid in faults.get("vuln_status", {}):
            return self._json(int(faults["vuln_status"][vid]), {"code": 13, "message": "scripted failure"})
        if vid in faults.get("vuln_body", {}):
            return self._send(200, faults["vuln_body"][vid])
        doc = srv.doc(vid)
        if doc is None:
            return self._json(404, {"code": 5, "message": "Bug not found."})
        return self._json(200, doc)

    def do_POST(self):
        srv = self.server.owner
        raw = self._read_body()
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = None
        if self.path.startswith("/_control/"):
            if self.path == "/_control/faults":
                srv.faults = body or {}
                return self._json(200, {"ok": True})
            if self.path == "/_control/reset":
                srv.reset()
                return self._json(200, {"ok": True})
            return self._json(404, {"message": "not found"})
        srv.record({"method": "POST", "path": self.path, "body": body})
        if self.path != "/v1/querybatch":
            return self._json(404, {"code": 5, "message": "not found"})
        faults = srv.faults
        if faults.get("batch_delay"):
            time.sleep(float(faults["batch_delay"]))
        if "batch_status" in faults:
            return self._json(int(faults["batch_status"]), {"code": 13, "message": "scripted failure"})
        if "batch_body" in faults:
            return self._send(200, faults["batch_body"])
        if not isinstance(body, dict) or not isinstance(body.get("queries"), list):
            return self._json(400, {"code": 3, "message": "invalid request"})
        return self._json(200, {"results": [srv.answer(q) for q in body["queries"]]})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class OSVServer:
    """The scripted server; start()/stop() or use as a context manager."""

    def __init__(self, docs=None, host="127.0.0.1", port=0, page_size=None, faults=None):
        self._lock = threading.Lock()
        self._docs = list(docs or [])
        self._requests = []
        self.page_size = page_size
        self.faults = dict(faults or {})
        self._httpd = _Server((host, port), _Handler)
        self._httpd.owner = self
        self._thread = None

    @property
    def port(self):
        return self._httpd.server_address[1]

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

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

    def reset(self):
        with self._lock:
            self._requests = []
            self.faults = {}

    def record(self, req):
        with self._lock:
            self._requests.append(req)

    @property
    def requests(self):
        with self._lock:
            return list(self._requests)

    def batch_requests(self):
        return [r for r in self.requests if r["path"] == "/v1/querybatch"]

    def vuln_requests(self):
        return [r["path"][len("/v1/vulns/"):] for r in self.requests if r["path"].startswith("/v1/vulns/")]

    def doc(self, vid):
        for d in self._docs:
            if d.get("id") == vid:
                return d
        return None

    def answer(self, q):
        pkg = q.get("package") or {}
        eco, name = pkg.get("ecosystem"), pkg.get("name") or ""
        want = normalize(eco, name)
        ids = []
        for d in self._docs:
            for a in d.get("affected", []):
                p = a.get("package") or {}
                if p.get("ecosystem") == eco and normalize(eco, p.get("name", "")) == want:
                    ids.append({"id": d["id"], "modified": d.get("modified", "")})
                    break
        for extra in self.faults.get("extra_ids", {}).get(name, []):
            ids.append({"id": extra, "modified": "2099-01-01T00:00:00Z"})
        if not self.page_size:
            return {"vulns": ids} if ids else {}
        token = q.get("page_token") or "p0"
        start = int(token[1:])
        page = ids[start:start + self.page_size]
        out = {"vulns": page} if page else {}
        if start + self.page_size < len(ids):
            out["next_page_token"] = f"p{start + self.page_size}"
        return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", help="a directory of OSV .json documents")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", help="write the port here once listening")
    ap.add_argument("--page-size", type=int, default=None)
    a = ap.parse_args(argv)
    docs = []
    if a.docs:
        for p in sorted(pathlib.Path(a.docs).glob("*.json")):
            docs.append(json.loads(p.read_text()))
    srv = OSVServer(docs, host=a.host, port=a.port, page_size=a.page_size)
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
