#!/usr/bin/env python3
"""unit-converter tool: masses. Reads {"value", "from", "to"?} as JSON on stdin, prints one JSON
object; logical errors are {"error": ...} with exit status 0."""
import sys

sys.dont_write_bytecode = True  # the skill directory is read-only data: no __pycache__
import unitlib  # noqa: E402

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


def convert(request):
    return unitlib.convert_by_factor(request, UNITS, ALIASES, "a mass unit")


if __name__ == "__main__":
    sys.exit(unitlib.main(convert))
