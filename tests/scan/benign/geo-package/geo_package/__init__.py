"""Small spherical-earth helpers (mean Earth radius, good to ~0.5%)."""
import math

EARTH_KM = 6371.0088
UNITS = {"km": 1.0, "mi": 0.621371192, "nmi": 0.539956803}

__all__ = ["distance", "bbox", "midpoint", "UNITS"]


def distance(a, b, unit="km"):
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + \
        math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h))) * UNITS[unit]


def bbox(center, radius_km):
    lat, lon = center
    dlat = math.degrees(radius_km / EARTH_KM)
    dlon = math.degrees(radius_km / (EARTH_KM * max(math.cos(math.radians(lat)), 1e-12)))
    return {"south": max(-90.0, lat - dlat), "north": min(90.0, lat + dlat),
            "west": ((lon - dlon + 180) % 360) - 180, "east": ((lon + dlon + 180) % 360) - 180}


def midpoint(points):
    x = y = z = 0.0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
    n = len(points)
    x, y, z = x / n, y / n, z / n
    return {"lat": math.degrees(math.atan2(z, math.hypot(x, y))), "lon": math.degrees(math.atan2(y, x))}
