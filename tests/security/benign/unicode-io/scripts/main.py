import json, os, sys

import unicodedata
req = json.loads(sys.stdin.read())
t = req["text"]
out = {"ok": len(t) == req["len"] and unicodedata.normalize("NFC", "e\u0301") == "\u00e9",
       "echo": t, "upper": t.upper(), "detail": {"len": len(t), "nfc": unicodedata.normalize("NFC", t)[:5]}}
sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
