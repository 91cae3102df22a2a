#!/usr/bin/python3
"""Request latency and throughput through the run's proxy vs a direct loopback connection.

One HTTP server on 127.0.0.1 (a fixed small response, or a large body for throughput). The SAME
client code (bench/skills/netclient, raw sockets, one new TCP connection per request, like every
request through our proxy) runs twice per round:
  direct  on the host, connecting to 127.0.0.1:PORT;
  proxy   inside `skilllite-sandbox run --allow-network=localhost:PORT --allow-private-network`,
          connecting to the proxy at 127.0.0.1:3128 (absolute-form GET, or CONNECT + GET).
Rounds alternate direct/proxy so drift on this VM hits both. Only the request loop is timed (inside
the client), not the sandbox's start-up, which bench.sh measures separately.

    /usr/bin/python3 bench/net_latency.py [BUILD_DIR] [REQUESTS_PER_ROUND] [ROUNDS]
Writes bench/results/net.json and prints a markdown table with the ratios.
"""
import http.server
import json
import os
import socketserver
import statistics
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 200
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 5
BIN = os.path.join(REPO, BUILD, "skilllite-sandbox")
CLIENT = os.path.join(HERE, "skills", "netclient")
BIG = 32 << 20  # bytes for the throughput case
SMALL = b'{"ok": true}\n'


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        size = BIG if self.path.startswith("/big") else len(SMALL)
        self.send_response(200)
        self.send_header("Content-Length", str(size))
        self.end_headers()
        if size == len(SMALL):
            self.wfile.write(SMALL)
            return
        chunk = b"x" * (1 << 20)
        for _ in range(size >> 20):
            self.wfile.write(chunk)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def run_client(mode, port, kind, n):
    inp = json.dumps({"mode": mode, "port": port, "kind": kind, "n": n})
    if mode == "direct":
        argv = ["/usr/bin/python3", os.path.join(CLIENT, "scripts", "main.py")]
        out = subprocess.run(argv, input=inp, capture_output=True, text=True, check=True).stdout
        return json.loads(out)
    argv = [BIN, "run", "--sandbox-level", "2", "--timeout", "300", "--allow-private-network",
            "--allow-network=localhost:%d" % port, CLIENT, "-"]
    r = subprocess.run(argv, input=inp, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("sandboxed client failed (%d): %s" % (r.returncode, r.stderr[-2000:]))
    return json.loads(r.stdout)


def main():
    srv = Server(("127.0.0.1", 0), Handler)
    port = srv.server_address[1]
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    results = {}
    for kind, n in (("http", N), ("connect", N), ("throughput", 3)):
        samples = {"direct": [], "proxy": []}
        for _ in range(ROUNDS):
            for mode in ("direct", "proxy"):
                samples[mode] += run_client(mode, port, kind, n)["ms"]
        results[kind] = {m: {"median_ms": statistics.median(v),
                             "p95_ms": sorted(v)[int(len(v) * 0.95) - 1] if len(v) > 1 else v[0],
                             "n": len(v)} for m, v in samples.items()}
    srv.shutdown()
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "net.json"), "w") as f:
        json.dump(results, f, indent=2)
    print("| case | direct median (p95) | through the proxy median (p95) | ratio (median) |")
    print("|---|---|---|---|")
    names = {"http": "GET, absolute form (new connection each)",
             "connect": "CONNECT + GET (new tunnel each)",
             "throughput": "%d MiB download via CONNECT" % (BIG >> 20)}
    for kind, r in results.items():
        d, p = r["direct"], r["proxy"]
        extra = ""
        if kind == "throughput":
            extra = " = %.0f vs %.0f MiB/s" % ((BIG >> 20) / (d["median_ms"] / 1000),
                                              (BIG >> 20) / (p["median_ms"] / 1000))
        print("| %s | %.3f ms (%.3f) | %.3f ms (%.3f) | %.2fx%s |" % (
            names[kind], d["median_ms"], d["p95_ms"], p["median_ms"], p["p95_ms"],
            p["median_ms"] / d["median_ms"], extra))


if __name__ == "__main__":
    main()
