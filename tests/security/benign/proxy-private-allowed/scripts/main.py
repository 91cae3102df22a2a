import json, os, socket, sys, urllib.request

req = json.loads(sys.stdin.read())
P = req["tcp_port"]
proxy = os.environ.get("HTTP_PROXY", "")
if not proxy.startswith("http://"):
    print(json.dumps({"ok": False, "detail": "no HTTP_PROXY in the environment: %r" % proxy}))
    sys.exit(0)
host, _, port = proxy[len("http://"):].rstrip("/").rpartition(":")
# 1. a CONNECT tunnel, by hand
hp = b"localhost:%d" % P
s = socket.create_connection((host, int(port)), timeout=10)
s.sendall(b"CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (hp, hp))
head = b""
while b"\r\n\r\n" not in head:
    chunk = s.recv(1024)
    if not chunk:
        break
    head += chunk
status = head.split(b"\r\n", 1)[0].decode("latin-1")
reply = b""
if status.startswith("HTTP/1.1 200"):
    s.sendall(b"hello\n")
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        reply += chunk
s.close()
# 2. a plain GET the usual way: urllib picks the proxy up from HTTP_PROXY
try:
    with urllib.request.urlopen("http://localhost:%d/hello" % P, timeout=10) as r:
        got = r.read(200)
except Exception as e:
    got = ("%s: %s" % (type(e).__name__, e)).encode()
ok = status.startswith("HTTP/1.1 200") and b"SKILLLITE-HOST-REPLY" in reply and b"SKILLLITE-HOST-REPLY" in got
print(json.dumps({"ok": ok, "detail": {"connect": status, "tunnel_reply": reply[-40:].decode("latin-1"),
                                       "urllib": got[-40:].decode("latin-1")}}))
