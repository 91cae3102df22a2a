import json, os, sys

import hashlib
h = hashlib.sha256()
buf = bytearray()
chunks = 0
while True:
    c = sys.stdin.buffer.read1(4096) if hasattr(sys.stdin.buffer, "read1") else sys.stdin.buffer.read(4096)
    if not c:
        break
    chunks += 1
    buf += c
req = json.loads(buf)
ok = len(req["blob"]) == req["expect_len"] and chunks > 1
print(json.dumps({"ok": ok, "detail": {"chunks": chunks, "bytes": len(buf)}}))
