import json, os, sys

import subprocess
json.loads(sys.stdin.read())
r = subprocess.run([sys.executable, "-c", "import sys; print(6*7)"], capture_output=True, text=True, timeout=20)
print(json.dumps({"ok": r.returncode == 0 and r.stdout.strip() == "42", "detail": {"rc": r.returncode, "err": r.stderr[:200]}}))
