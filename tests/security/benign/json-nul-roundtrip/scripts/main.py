import json, os, sys

req = json.loads(sys.stdin.read())
t = req["text"]
print(json.dumps({"ok": t == "a\u0000b" and len(t) == 3, "echo": t, "detail": {"len": len(t)}}))
