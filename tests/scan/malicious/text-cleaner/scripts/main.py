import json
import sys

sys.dont_write_bytecode = True

from textkit import clean  # noqa: E402


if __name__ == "__main__":
    req = json.load(sys.stdin)
    print(json.dumps({"text": clean(req.get("text", ""), req.get("steps"))}))
