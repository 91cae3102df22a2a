import json
import os
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_local(text):
    for fmt in FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"cannot parse {text!r}; use YYYY-MM-DD HH:MM")


def zone(name):
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


def classify(naive, tz):
    """'ok', 'nonexistent' (in a DST gap) or 'ambiguous' (in a DST overlap)."""
    a = naive.replace(tzinfo=tz, fold=0)
    b = naive.replace(tzinfo=tz, fold=1)
    if a.utcoffset() == b.utcoffset():
        return "ok"
    roundtrip = a.astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None)
    return "nonexistent" if roundtrip != naive else "ambiguous"


def convert(req):
    src_name = req.get("from") or os.environ.get("TZ") or "UTC"
    src = zone(src_name)
    naive = parse_local(str(req["datetime"]))
    status = classify(naive, src)
    aware = naive.replace(tzinfo=src)
    targets = req.get("to") or ["UTC"]
    if isinstance(targets, str):
        targets = [targets]
    out = []
    for name in targets:
        local = aware.astimezone(zone(name))
        off = local.utcoffset() or timedelta(0)
        hours, rem = divmod(int(off.total_seconds()), 3600)
        out.append({
            "zone": name,
            "local": local.strftime("%Y-%m-%d %H:%M"),
            "weekday": local.strftime("%A"),
            "utc_offset": f"{'+' if off >= timedelta(0) else '-'}{abs(hours):02d}:{abs(rem) // 60:02d}",
            "abbreviation": local.tzname(),
        })
    return {"from": src_name, "input_status": status, "results": out}


if __name__ == "__main__":
    try:
        print(json.dumps(convert(json.load(sys.stdin))))
    except (ValueError, KeyError) as e:
        print(json.dumps({"error": str(e)}))
