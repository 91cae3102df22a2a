import hashlib
import json
import sys
from datetime import datetime, timezone

REPEAT = {"daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY", "yearly": "YEARLY"}


def escape(text):
    return (str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line):
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts, cur = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(cur) + len(b) > (75 if not parts else 74):
            parts.append(cur.decode("utf-8"))
            cur = b""
        cur += b
    parts.append(cur.decode("utf-8"))
    return "\r\n ".join(parts)


def local(dt_text):
    return datetime.fromisoformat(dt_text).strftime("%Y%m%dT%H%M%S")


def build(ev):
    for field in ("title", "start", "end"):
        if not ev.get(field):
            raise ValueError(f"{field} is required")
    tz = ev.get("tz", "UTC")
    uid = hashlib.sha1(json.dumps([ev["title"], ev["start"], tz], sort_keys=True).encode()).hexdigest()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//calmaker//ics-event 0.6//EN", "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:{uid}@calmaker",
        f"DTSTAMP:{stamp}",
        f"DTSTART;TZID={tz}:{local(ev['start'])}",
        f"DTEND;TZID={tz}:{local(ev['end'])}",
        f"SUMMARY:{escape(ev['title'])}",
    ]
    if ev.get("location"):
        lines.append(f"LOCATION:{escape(ev['location'])}")
    if ev.get("description"):
        lines.append(f"DESCRIPTION:{escape(ev['description'])}")
    if ev.get("repeat"):
        freq = REPEAT.get(ev["repeat"])
        if not freq:
            raise ValueError("repeat must be daily, weekly, monthly or yearly")
        rule = f"RRULE:FREQ={freq}"
        if ev.get("count"):
            rule += f";COUNT={int(ev['count'])}"
        lines.append(rule)
    if ev.get("alarm_minutes") is not None:
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{escape(ev['title'])}",
                  f"TRIGGER:-PT{int(ev['alarm_minutes'])}M", "END:VALARM"]
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(fold(l) for l in lines) + "\r\n"


if __name__ == "__main__":
    try:
        print(json.dumps({"ics": build(json.load(sys.stdin))}))
    except ValueError as e:
        print(json.dumps({"error": str(e)}))
