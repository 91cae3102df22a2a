"""The servers of the network lab (tests/e2e/netlab.py starts this inside the lab's namespaces).

    netlab_server.py --dir DIR --cert CERT --key KEY [--no-ipv6]

Every server records everything it sees, one JSON object per line, in DIR/logs/<name>.log:
a "connect" record the moment a TCP connection is accepted (before any byte is read, so even a
bare connect is seen), a "request" record per HTTP request, a "tls_error" record when a TLS
handshake fails, a "datagram" record per UDP datagram. Tests assert "this server never received
anything" by finding its log empty.

Every HTTP response is JSON: {"server": name, "path": ..., "host": <Host header>, "method": ...}
(plus "body_len" for a request with a body, and "pad": "xxx..." when the query asks ?pad=N, to
make large downloads). Prints "ready" once every socket listens; runs until killed (or until its
stdin reaches EOF, so it never outlives the test process). Stdlib only."""
import argparse
import json
import os
import socket
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# name -> (address, port, tls)
HTTP_SERVERS = {
    "api": ("203.0.113.10", 80, False),          # api.test, www.api.test, a.svc.test
    "api8080": ("203.0.113.10", 8080, False),    # a granted host on a port that is not granted
    "api-tls": ("203.0.113.10", 443, True),      # https://api.test/
    "other": ("203.0.113.20", 80, False),        # other.test
    "other-tls": ("203.0.113.20", 443, True),
    "v6": ("2001:db8::10", 80, False),           # v6.test
    "loop80": ("127.0.0.1", 80, False),          # "host loopback services" (rebind.test)
    "loop9999": ("127.0.0.1", 9999, False),
    "private": ("10.1.2.3", 80, False),          # private.test
    "metadata": ("169.254.169.254", 80, False),  # metadata.test
}
UDP_SERVERS = {
    "udp53": ("203.0.113.10", 53),
    "udp5353": ("127.0.0.1", 5353),
}
UNIX_SERVER = "unix"  # DIR/unix.sock
# A TCP port whose SYNs go unanswered: a listener that never accepts, with its (minimal) accept
# queue filled by our own connections, so the kernel drops further SYNs and connect() hangs.
BLACKHOLE = ("203.0.113.20", 81)


def start_blackhole():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(BLACKHOLE)
    listener.listen(0)
    held = []
    for _ in range(3):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.connect(BLACKHOLE)
        except BlockingIOError:
            pass
        held.append(s)
    return [listener, *held]  # kept open for the server's lifetime

MAX_PAD = 16 * 1024 * 1024

_log_lock = threading.Lock()
LOG_DIR = None


def record(server, **fields):
    fields = {"server": server, "time": time.time(), **fields}
    line = json.dumps(fields, sort_keys=True) + "\n"
    with _log_lock:
        # opened per record with O_APPEND: the tests truncate the files between tests
        fd = os.open(os.path.join(LOG_DIR, server + ".log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)


def make_handler(name, tls_context):
    class Handler(BaseHTTPRequestHandler):
        server_version = "netlab/1"
        protocol_version = "HTTP/1.0"  # one request per connection: simplest for a proxy to relay
        timeout = 15

        def setup(self):
            record(name, event="connect", peer=str(self.client_address[0]))
            self.tls_failed = False
            if tls_context is not None:
                self.request.settimeout(self.timeout)
                try:
                    self.request = tls_context.wrap_socket(self.request, server_side=True)
                except (ssl.SSLError, OSError) as e:
                    record(name, event="tls_error", error=str(e))
                    self.tls_failed = True
                    self.request = socket.socket()  # placeholder for StreamRequestHandler.setup
            super().setup()

        def handle(self):
            if not self.tls_failed:
                super().handle()

        def finish(self):
            try:
                super().finish()
            except OSError:
                pass
            if tls_context is not None:
                self.request.close()

        def log_message(self, *args):
            pass

        def _reply(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            url = urllib.parse.urlsplit(self.path)
            record(name, event="request", method=self.command, path=self.path,
                   host=self.headers.get("Host"), headers=dict(self.headers.items()),
                   body_len=len(body), version=self.request_version)
            out = {"server": name, "path": self.path, "host": self.headers.get("Host"),
                   "method": self.command}
            if body:
                out["body_len"] = len(body)
            pad = urllib.parse.parse_qs(url.query).get("pad")
            if pad:
                out["pad"] = "x" * min(int(pad[0]), MAX_PAD)
            data = json.dumps(out).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _reply

    return Handler


class HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        pass  # a client that vanishes mid-request is not the lab's problem


class HTTPServer6(HTTPServer):
    address_family = socket.AF_INET6


class UDPEcho(socketserver.ThreadingUDPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_udp_handler(name):
    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            data, sock = self.request
            record(name, event="datagram", peer=str(self.client_address[0]), len=len(data))
            sock.sendto(data, self.client_address)

    return Handler


class UnixServer(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True


def make_unix_handler(name):
    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            record(name, event="connect", peer="unix")
            self.request.sendall(json.dumps({"server": name}).encode() + b"\n")

    return Handler


def main():
    global LOG_DIR
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--no-ipv6", action="store_true", help="no IPv6 server (IPv6 is unavailable)")
    args = ap.parse_args()
    LOG_DIR = os.path.join(args.dir, "logs")
    os.makedirs(LOG_DIR, exist_ok=True)

    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(args.cert, args.key)

    servers = []
    for name, (addr, port, is_tls) in HTTP_SERVERS.items():
        if args.no_ipv6 and ":" in addr:
            continue
        cls = HTTPServer6 if ":" in addr else HTTPServer
        servers.append(cls((addr, port), make_handler(name, tls if is_tls else None)))
    for name, addr in UDP_SERVERS.items():
        servers.append(UDPEcho(addr, make_udp_handler(name)))
    path = os.path.join(args.dir, UNIX_SERVER + ".sock")
    if os.path.exists(path):
        os.unlink(path)
    servers.append(UnixServer(path, make_unix_handler(UNIX_SERVER)))
    os.chmod(path, 0o777)
    for name in [*HTTP_SERVERS, *UDP_SERVERS, UNIX_SERVER]:
        open(os.path.join(LOG_DIR, name + ".log"), "a").close()

    blackhole = start_blackhole()  # noqa: F841 (the sockets must stay open)
    for s in servers:
        threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    print("ready", flush=True)
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # the lab reports this line instead of "ready"
        print(f"error: {type(e).__name__}: {e}", flush=True)
        sys.exit(1)
