import json, os, sys

json.loads(sys.stdin.read())
d = {"leaf": list(range(200000))}
for i in range(100):
    d = {"level": i, "child": d, "s": "x" * 10}
s = json.dumps(d)
back = json.loads(s)
depth = 0
while "child" in back:
    back = back["child"]; depth += 1
ok = depth == 100 and back["leaf"][-1] == 199999
print(json.dumps({"ok": ok, "detail": {"bytes": len(s), "depth": depth}}))
