#!/usr/bin/env python3
"""unit-converter tool: temperatures. Reads {"value", "from", "to"?} as JSON on stdin, prints one
JSON object; logical errors are {"error": ...} with exit status 0."""
import json
import math
import sys

# Each scale as (to kelvin, from kelvin). Temperatures are affine, not plain factors.
UNITS = {
    "C": (lambda c: c + 273.15, lambda k: k - 273.15),
    "F": (lambda f: (f - 32) * 5 / 9 + 273.15, lambda k: (k - 273.15) * 9 / 5 + 32),
    "K": (lambda k: k, lambda k: k),
    "R": (lambda r: r * 5 / 9, lambda k: k * 9 / 5),
}
ALIASES = {
    "c": "C", "celsius": "C", "centigrade": "C", "°c": "C",
    "f": "F", "fahrenheit": "F", "°f": "F",
    "k": "K", "kelvin": "K",
    "r": "R", "rankine": "R", "°r": "R",
}


class InputError(Exception):
    pass


def unit(request, key):
    name = request.get(key)
    if isinstance(name, str):
        name = name if name in UNITS else ALIASES.get(name.strip().lower(), name)
        if name in UNITS:
            return name
    raise InputError(f"{key} must be a temperature scale (one of: {', '.join(UNITS)})")


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
    kelvin = UNITS[src][0](value)
    if number(kelvin) < 0:
        raise InputError(f"{value} {src} is below absolute zero")
    kelvin = max(kelvin, 0.0)
    if request.get("to") is None:
        return {"value": value, "from": src,
                "results": {u: number(conv[1](kelvin)) + 0.0 for u, conv in UNITS.items()}}
    dst = unit(request, "to")
    return {"value": value, "from": src, "to": dst, "result": number(UNITS[dst][1](kelvin)) + 0.0}


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
