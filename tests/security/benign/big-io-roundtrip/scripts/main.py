import json, os, sys

import hashlib
req = json.loads(sys.stdin.read())
blob = req["blob"]
print(json.dumps({"ok": len(blob) == req["expect_len"], "echo": blob,
                  "detail": {"len": len(blob), "sha256": hashlib.sha256(blob.encode()).hexdigest()}}))
