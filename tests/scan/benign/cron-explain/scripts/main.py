import json
import sys
from datetime import datetime, timedelta

SHORTCUTS = {"@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
             "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *",
             "@annually": "0 0 1 1 *"}
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
FIELDS = [("minute", 0, 59, None), ("hour", 0, 23, None), ("day", 1, 31, None),
          ("month", 1, 12, MONTHS), ("weekday", 0, 7, DAYS)]


def parse_field(text, lo, hi, names):
    values = set()
    for part in text.lower().split(","):
        step = 1
        if "/" in part:
            part, s = part.split("/", 1)
            step = int(s)
            if step < 1:
                raise ValueError("step must be >= 1")
        if part == "*":
            a, b = lo, hi
        elif "-" in part:
            a, b = (value(p, names, lo) for p in part.split("-", 1))
        else:
            a = b = value(part, names, lo)
        if not (lo <= a <= hi and lo <= b <= hi and a <= b):
            raise ValueError(f"{text!r} is out of range {lo}-{hi}")
        values.update(range(a, b + 1, step))
    return values


def value(token, names, lo):
    if names and token[:3] in names:
        return names.index(token[:3]) + (1 if lo == 1 else 0)
    return int(token)


def describe(fields, raw):
    minute, hour, _day, _month, weekday = raw
    parts = []
    if minute.startswith("*/"):
        parts.append(f"every {minute[2:]} minutes")
    elif minute == "*":
        parts.append("every minute")
    else:
        parts.append(f"at minute {minute}")
    if hour != "*":
        hs = sorted(fields[1])
        parts.append(f"between {hs[0]:02d}:00 and {hs[-1]:02d}:59" if len(hs) > 1 else f"during hour {hs[0]:02d}")
    if weekday != "*":
        ds = sorted({d % 7 for d in fields[4]})
        if ds == list(range(ds[0], ds[-1] + 1)) and len(ds) > 2:
            parts.append(f"{DAY_NAMES[ds[0]]} through {DAY_NAMES[ds[-1]]}")
        else:
            parts.append("on " + ", ".join(DAY_NAMES[d] for d in ds))
    return ", ".join(parts)


def next_runs(fields, start, count):
    minutes, hours, days, months, weekdays = fields
    weekdays = {d % 7 for d in weekdays}
    t = start.replace(second=0, microsecond=0) + timedelta(minutes=1)
    out = []
    for _ in range(366 * 24 * 60):
        if (t.month in months and t.day in days and (t.isoweekday() % 7) in weekdays
                and t.hour in hours and t.minute in minutes):
            out.append(t.strftime("%Y-%m-%dT%H:%M"))
            if len(out) == count:
                break
        t += timedelta(minutes=1)
    return out


def explain(expr, count, start):
    expr = expr.strip()
    if expr == "@reboot":
        return {"description": "once, when the cron daemon starts", "next_runs": []}
    expr = SHORTCUTS.get(expr, expr)
    raw = expr.split()
    if len(raw) != 5:
        raise ValueError("expected 5 fields: minute hour day month weekday")
    fields = [parse_field(r, lo, hi, names) for r, (_, lo, hi, names) in zip(raw, FIELDS)]
    return {"description": describe(fields, raw), "next_runs": next_runs(fields, start, count)}


if __name__ == "__main__":
    req = json.load(sys.stdin)
    try:
        start = datetime.fromisoformat(req["from"]) if req.get("from") else datetime.now()
        print(json.dumps(explain(str(req.get("expression", "")), max(0, min(int(req.get("next", 5)), 50)), start)))
    except (ValueError, TypeError) as e:
        print(json.dumps({"error": str(e)}))
