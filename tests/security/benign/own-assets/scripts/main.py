import json, os, sys

json.loads(sys.stdin.read())
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
a = open("assets/data.txt").read()
b = open(os.path.join(here, "assets", "data.txt")).read()
listing = sorted(os.listdir(os.path.join(here, "assets")))
print(json.dumps({"ok": a == b and a.startswith("asset-line-1") and listing == ["data.txt"], "detail": {"bytes": len(a), "here": here}}))
