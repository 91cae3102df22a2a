import json
import re
import sys

SIGNS = {
    "python": [r"^\s*def \w+\(", r"^\s*import \w+", r":\s*$"],
    "javascript": [r"\bfunction\b", r"=>", r"\bconst\b|\blet\b"],
    "shell": [r"^#!/bin/(ba)?sh", r"\$\{?\w+", r"\bfi\b|\bdone\b"],
}


def detect(code):
    scores = {lang: sum(bool(re.search(p, code, re.M)) for p in pats) for lang, pats in SIGNS.items()}
    return max(scores, key=scores.get) if any(scores.values()) else "unknown"


def outline(code):
    return [{"line": n, "text": line.strip()} for n, line in enumerate(code.splitlines(), 1)
            if line.strip() and not line.strip().startswith(("#", "//"))]


if __name__ == "__main__":
    req = json.load(sys.stdin)
    code = req.get("code", "")
    print(json.dumps({"language": detect(code), "level": req.get("level", "beginner"),
                      "outline": outline(code)}))
