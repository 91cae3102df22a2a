#!/usr/bin/env python3
"""Calculator skill: reads {"operation", "a", "b"} as JSON on stdin, prints {"result": x}."""
import json
import sys

OPERATIONS = {
    "add": lambda a, b: a + b,
    "subtract": lambda a, b: a - b,
    "multiply": lambda a, b: a * b,
    "divide": lambda a, b: a / b,
    "power": lambda a, b: a ** b,
}


def main() -> int:
    try:
        request = json.loads(sys.stdin.read() or "{}")
    except json.JSONDecodeError as exc:
        print(json.dumps({"error": f"input is not JSON: {exc}"}))
        return 0
    op = request.get("operation", "add")
    a, b = request.get("a", 0), request.get("b", 0)
    if op not in OPERATIONS:
        print(json.dumps({"error": f"unknown operation {op!r}", "operations": sorted(OPERATIONS)}))
        return 0
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b)):
        print(json.dumps({"error": "a and b must be numbers"}))
        return 0
    if op == "divide" and b == 0:
        print(json.dumps({"error": "division by zero"}))
        return 0
    if op == "power" and abs(b) > 1000:
        print(json.dumps({"error": "exponent too large"}))
        return 0
    print(json.dumps({"result": OPERATIONS[op](a, b)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
