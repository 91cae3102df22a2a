"""Type inference for CSV cells. Deliberately conservative: "007" stays a string."""
import re

_INT = re.compile(r"^[+-]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[+-]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_TRUE = {"true", "yes"}
_FALSE = {"false", "no"}


def infer_value(cell):
    """Return None, bool, int, float or the original string."""
    s = cell.strip()
    if s == "":
        return None
    low = s.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    if _INT.match(s):
        return int(s)
    if _FLOAT.match(s):
        return float(s)
    return cell
