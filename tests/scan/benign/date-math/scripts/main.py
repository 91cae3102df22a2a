#!/usr/bin/env python3
import calendar
import json
import os
import sys
from datetime import date, datetime, timedelta

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
except ImportError:  # Python < 3.9
    ZoneInfo = None


class Problem(Exception):
    pass


def parse(s, field):
    try:
        return date.fromisoformat(str(s))
    except ValueError:
        raise Problem(f"{field} must be a date like 2024-03-01") from None


def add_months(d, n):
    month0 = d.month - 1 + n
    year = d.year + month0 // 12
    month = month0 % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def add_business_days(d, n, holidays):
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    while remaining:
        d += timedelta(days=step)
        if d.weekday() < 5 and d not in holidays:
            remaining -= 1
    return d


def business_days_between(a, b, holidays):
    if b < a:
        return -business_days_between(b, a, holidays)
    count, d = 0, a
    while d < b:
        if d.weekday() < 5 and d not in holidays:
            count += 1
        d += timedelta(days=1)
    return count


def today():
    tz_name = os.environ.get("TZ", "UTC")
    if ZoneInfo is None:
        return date.today(), tz_name
    try:
        return datetime.now(ZoneInfo(tz_name)).date(), tz_name
    except (ZoneInfoNotFoundError, ValueError):
        return datetime.utcnow().date(), "UTC"


def run(req):
    op = req.get("operation")
    holidays = {parse(h, "holidays[]") for h in req.get("holidays", [])}
    if op == "add":
        d = parse(req.get("date"), "date")
        amount = int(req.get("amount", 0))
        unit = req.get("unit", "days")
        if unit == "days":
            d += timedelta(days=amount)
        elif unit == "weeks":
            d += timedelta(weeks=amount)
        elif unit == "months":
            d = add_months(d, amount)
        elif unit == "business_days":
            d = add_business_days(d, amount, holidays)
        else:
            raise Problem("unit must be days, weeks, months or business_days")
        return {"date": d.isoformat()}
    if op == "diff":
        a, b = parse(req.get("start"), "start"), parse(req.get("end"), "end")
        days = (b - a).days
        return {"days": days, "weeks": round(days / 7, 2),
                "business_days": business_days_between(a, b, holidays)}
    if op == "info":
        d = parse(req.get("date"), "date")
        return {"weekday": calendar.day_name[d.weekday()], "iso_week": d.isocalendar()[1],
                "day_of_year": d.timetuple().tm_yday, "leap_year": calendar.isleap(d.year)}
    if op == "today":
        d, tz = today()
        return {"date": d.isoformat(), "tz": tz}
    raise Problem("operation must be add, diff, info or today")


if __name__ == "__main__":
    try:
        print(json.dumps(run(json.load(sys.stdin))))
    except Problem as p:
        print(json.dumps({"error": str(p)}))
    except (ValueError, TypeError) as e:
        print(json.dumps({"error": f"bad input: {e}"}))
