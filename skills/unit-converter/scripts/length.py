#!/usr/bin/env python3
"""unit-converter tool: lengths. Reads {"value", "from", "to"?} as JSON on stdin, prints one JSON
object; logical errors are {"error": ...} with exit status 0."""
import sys

sys.dont_write_bytecode = True  # the skill directory is read-only data: no __pycache__
import unitlib  # noqa: E402

# Metres per unit; the imperial factors are the exact 1959 international definitions.
UNITS = {
    "mm": 0.001,
    "cm": 0.01,
    "m": 1.0,
    "km": 1000.0,
    "in": 0.0254,
    "ft": 0.3048,
    "yd": 0.9144,
    "mi": 1609.344,
    "nmi": 1852.0,
}
ALIASES = {
    "millimeter": "mm", "millimeters": "mm", "millimetre": "mm", "millimetres": "mm",
    "centimeter": "cm", "centimeters": "cm", "centimetre": "cm", "centimetres": "cm",
    "meter": "m", "meters": "m", "metre": "m", "metres": "m",
    "kilometer": "km", "kilometers": "km", "kilometre": "km", "kilometres": "km",
    "inch": "in", "inches": "in", "foot": "ft", "feet": "ft", "yard": "yd", "yards": "yd",
    "mile": "mi", "miles": "mi", "nautical mile": "nmi", "nautical miles": "nmi",
}


def convert(request):
    return unitlib.convert_by_factor(request, UNITS, ALIASES, "a length unit")


if __name__ == "__main__":
    sys.exit(unitlib.main(convert))
