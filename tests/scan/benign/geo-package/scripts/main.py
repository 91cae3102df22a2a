import json
import os
import sys

sys.dont_write_bytecode = True
# the package sits next to scripts/ in the skill directory
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import geo_package as geo  # noqa: E402


def handle(req):
    op = req.get("operation")
    if op == "distance":
        unit = req.get("unit", "km")
        if unit not in geo.UNITS:
            return {"error": f"unit must be one of {sorted(geo.UNITS)}"}
        return {"distance": round(geo.distance(req["a"], req["b"], unit), 3), "unit": unit}
    if op == "bbox":
        return {k: round(v, 6) for k, v in geo.bbox(req["center"], float(req["radius_km"])).items()}
    if op == "midpoint":
        if not req.get("points"):
            return {"error": "points must be a non-empty list"}
        return {k: round(v, 6) for k, v in geo.midpoint(req["points"]).items()}
    return {"error": "operation must be distance, bbox or midpoint"}


if __name__ == "__main__":
    try:
        print(json.dumps(handle(json.load(sys.stdin))))
    except (KeyError, TypeError, ValueError, IndexError) as e:
        print(json.dumps({"error": f"bad input: {e}"}))
