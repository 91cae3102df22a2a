#!/usr/bin/env python3
"""unit-converter tool: temperatures. Reads {"value", "from", "to"?} as JSON on stdin, prints one
JSON object; logical errors are {"error": ...} with exit status 0."""
import sys

sys.dont_write_bytecode = True  # the skill directory is read-only data: no __pycache__
import unitlib  # noqa: E402
from unitlib import InputError, number

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


def unit(request, key):
    return unitlib.unit(request, key, UNITS, ALIASES, "a temperature scale")


def convert(request):
    value = unitlib.checked_value(request)
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


if __name__ == "__main__":
    sys.exit(unitlib.main(convert))
