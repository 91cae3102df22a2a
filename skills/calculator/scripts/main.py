#!/usr/bin/env python3
"""Calculator skill: reads {"operation", "a", "b"} as JSON on stdin, prints {"result": x}."""
import json
import math
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
    except RecursionError:
        print(json.dumps({"error": "input is nested too deeply"}))
        return 0
    if not isinstance(request, dict):
        print(json.dumps({"error": "input must be a JSON object"}))
        return 0
    op = request.get("operation", "add")
    a, b = request.get("a", 0), request.get("b", 0)
    if op not in OPERATIONS:
        print(json.dumps({"error": f"unknown operation {op!r}", "operations": sorted(OPERATIONS)}))
        return 0
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b)):
        print(json.dumps({"error": "a and b must be numbers"}))
        return 0
    if not all(math.isfinite(x) for x in (a, b)):
        print(json.dumps({"error": "a and b must be finite numbers"}))
        return 0
    if op == "divide" and b == 0:
        print(json.dumps({"error": "division by zero"}))
        return 0
    if op == "power" and abs(b) > 1000:
        print(json.dumps({"error": "exponent too large"}))
        return 0
    try:
        result = OPERATIONS[op](a, b)
    except OverflowError:
        result = math.inf
    # JSON has no complex numbers (a negative base to a fractional power) and no Infinity.
    if isinstance(result, complex) or (isinstance(result, float) and not math.isfinite(result)):
        print(json.dumps({"error": "the result is not a finite real number"}))
        return 0
    print(json.dumps({"result": result}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
