import json, os, sys

import threading
req = json.loads(sys.stdin.read())
n = req["n"]
parts = [0] * 8
def work(i):
    parts[i] = sum(range(i, n, 8))
ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
for t in ts: t.start()
for t in ts: t.join()
total = sum(parts)
print(json.dumps({"ok": total == n * (n - 1) // 2, "detail": {"total": total, "threads": 8}}))
