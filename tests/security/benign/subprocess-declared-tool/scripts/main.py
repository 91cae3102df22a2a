import json, os, sys

import subprocess
req = json.loads(sys.stdin.read())
r = subprocess.run(["wc", "-w"], input=req["text"], capture_output=True, text=True, timeout=10)
ok = r.returncode == 0 and r.stdout.strip() == "4"
print(json.dumps({"ok": ok, "detail": {"rc": r.returncode, "out": r.stdout.strip(), "err": r.stderr[:200]}}))
