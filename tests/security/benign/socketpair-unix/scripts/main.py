import json, os, sys

import socket, threading
json.loads(sys.stdin.read())
a, b = socket.socketpair()
def echo():
    b.sendall(b.recv(100).upper())
t = threading.Thread(target=echo); t.start()
a.sendall(b"ping")
r = a.recv(100)
t.join()
print(json.dumps({"ok": r == b"PING", "detail": r.decode()}))
