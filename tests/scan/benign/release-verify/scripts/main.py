import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = os.path.join(HERE, "..", "assets", "checksums.json")
HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")


def load_table():
    with open(TABLE, encoding="utf-8") as fh:
        data = json.load(fh)
    return {a["file"]: a for a in data["artifacts"]}


def verify(req, table):
    name = req.get("file")
    if name not in table:
        close = sorted(f for f in table if f.split("-")[:2] == str(name).split("-")[:2])
        return {"error": f"unknown artifact {name!r}", "known_versions": close[:8]}
    expected = table[name]["sha256"]
    if "sha256" in req:
        actual = str(req["sha256"]).strip().lower()
        if not HEX64.match(actual):
            return {"error": "sha256 must be 64 hex digits"}
    elif "content_base64" in req:
        try:
            blob = base64.b64decode(req["content_base64"], validate=True)
        except (binascii.Error, ValueError):
            return {"error": "content_base64 is not valid base64"}
        actual = hashlib.sha256(blob).hexdigest()
        if len(blob) != table[name]["size"]:
            return {"file": name, "expected": expected, "actual": actual, "match": False,
                    "note": f"size {len(blob)} != published {table[name]['size']}"}
    else:
        return {"error": "give sha256 or content_base64"}
    return {"file": name, "expected": expected, "actual": actual,
            "match": hmac.compare_digest(expected, actual)}


if __name__ == "__main__":
    try:
        request = json.load(sys.stdin)
    except ValueError:
        request = None
    if not isinstance(request, dict):
        print(json.dumps({"error": "input must be a JSON object"}))
    else:
        print(json.dumps(verify(request, load_table())))
