"""Shared by the unit-converter tools: request checks, unit lookup, rounding, and the skill
contract (JSON on stdin, one JSON object on stdout, logical errors as {"error": ...})."""
import json
import math
import sys


class InputError(Exception):
    pass


def unit(request, key, units, aliases, what):
    """The canonical unit named by request[key], accepting aliases; what says what it must be."""
    name = request.get(key)
    if isinstance(name, str):
        name = name if name in units else aliases.get(name.strip().lower(), name)
        if name in units:
            return name
    raise InputError(f"{key} must be {what} (one of: {', '.join(units)})")


def number(x):
    """12 significant digits: 0.1 + 0.2 style noise is gone, real precision is kept."""
    return float(f"{x:.12g}")


def checked_value(request):
    if not isinstance(request, dict):
        raise InputError("input must be a JSON object")
    value = request.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError("value must be a finite number")
    return value


def convert_by_factor(request, units, aliases, what):
    """Quantities whose units are plain multiples of a base unit (units maps unit -> factor)."""
    value = checked_value(request)
    src = unit(request, "from", units, aliases, what)
    base = value * units[src]
    if request.get("to") is None:
        return {"value": value, "from": src,
                "results": {u: number(base / f) for u, f in units.items()}}
    dst = unit(request, "to", units, aliases, what)
    return {"value": value, "from": src, "to": dst, "result": number(base / units[dst])}


def main(convert):
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
