"""Timed requests with raw sockets: one new TCP connection per request.
Input: {"mode": "direct"|"proxy", "port": N, "kind": "http"|"connect"|"throughput", "n": N}.
Output: {"ms": [per-request milliseconds]}."""
import json
import socket
import sys
import time

cfg = json.load(sys.stdin)
port = cfg["port"]
proxied = cfg["mode"] == "proxy"
path = "/big" if cfg["kind"] == "throughput" else "/small"
target = ("127.0.0.1", 3128) if proxied else ("127.0.0.1", port)


def read_all(s, first=b""):
    data = first
    while True:
        chunk = s.recv(1 << 20)
        if not chunk:
            return data
        data += chunk


def read_head(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            raise OSError("proxy closed the connection")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise OSError("proxy said: %r" % head[:80])
    return rest


def one():
    with socket.create_connection(target) as s:
        if proxied and cfg["kind"] == "http":
            s.sendall(b"GET http://localhost:%d%s HTTP/1.1\r\nHost: localhost:%d\r\n\r\n" % (port, path.encode(), port))
            return read_all(s)
        if proxied:
            s.sendall(b"CONNECT localhost:%d HTTP/1.1\r\nHost: localhost:%d\r\n\r\n" % (port, port))
            rest = read_head(s)
        else:
            rest = b""
        s.sendall(b"GET %s HTTP/1.1\r\nHost: localhost:%d\r\nConnection: close\r\n\r\n" % (path.encode(), port))
        return read_all(s, rest)


ms = []
for _ in range(cfg["n"]):
    t0 = time.perf_counter()
    body = one()
    ms.append((time.perf_counter() - t0) * 1000)
    if b" 200 " not in body[:20]:
        sys.exit("bad reply: %r" % body[:100])
print(json.dumps({"ms": ms}))
