#!/usr/bin/env python3
"""unit-converter tool: masses. Reads {"value", "from", "to"?} as JSON on stdin, prints one JSON
object; logical errors are {"error": ...} with exit status 0."""
import json
import math
import sys

QUANTITY = "mass"
# Kilograms per unit; pound and ounce are the exact international avoirdupois definitions.
UNITS = {
    "mg": 0.000001,
    "g": 0.001,
    "kg": 1.0,
    "t": 1000.0,
    "oz": 0.028349523125,
    "lb": 0.45359237,
    "st": 6.35029318,
}
ALIASES = {
    "milligram": "mg", "milligrams": "mg", "gram": "g", "grams": "g",
    "kilogram": "kg", "kilograms": "kg", "tonne": "t", "tonnes": "t", "metric ton": "t",
    "ounce": "oz", "ounces": "oz", "pound": "lb", "pounds": "lb", "lbs": "lb",
    "stone": "st", "stones": "st",
}


class InputError(Exception):
    pass


def unit(request, key):
    name = request.get(key)
    if isinstance(name, str):
        name = name if name in UNITS else ALIASES.get(name.strip().lower(), name)
        if name in UNITS:
            return name
    raise InputError(f"{key} must be a {QUANTITY} unit (one of: {', '.join(UNITS)})")


def number(x):
    """12 significant digits: 0.1 + 0.2 style noise is gone, real precision is kept."""
    return float(f"{x:.12g}")


def convert(request):
    if not isinstance(request, dict):
        raise InputError("input must be a JSON object")
    value = request.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError("value must be a finite number")
    src = unit(request, "from")
    base = value * UNITS[src]
    if request.get("to") is None:
        return {"value": value, "from": src,
                "results": {u: number(base / f) for u, f in UNITS.items()}}
    dst = unit(request, "to")
    return {"value": value, "from": src, "to": dst, "result": number(base / UNITS[dst])}


def main():
    try:
        request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
        out = convert(request)
    except UnicodeDecodeError:
        out = {"error": "input is not valid UTF-8"}
    except RecursionError:
        out = {"error": "input is nested too deeply"}
    except ValueError as exc:  # json.JSONDecodeError
        out = {"error": f"input is not JSON: {exc}"}
    except InputError as exc:
        out = {"error": str(exc)}
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
