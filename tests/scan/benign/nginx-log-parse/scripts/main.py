#!/usr/bin/env python3
import collections
import json
import re
import sys

LINE = re.compile(
    r'^(?P<ip>\S+) \S+ (?P<user>\S+) \[(?P<time>[^\]]+)\] '
    r'"(?P<method>[A-Z]+) (?P<path>\S+) (?P<proto>[^"]+)" '
    r'(?P<status>\d{3}) (?P<bytes>\d+|-) '
    r'"(?P<referer>[^"]*)" "(?P<agent>[^"]*)"'
    r'(?: (?P<rt>\d+\.\d+))?\s*$'
)
BOT = re.compile(r"bot|crawler|spider|slurp|curl|wget|python-requests", re.I)


def parse(log, top):
    status = collections.Counter()
    classes = collections.Counter()
    paths = collections.Counter()
    ips = collections.Counter()
    slow = []
    bad = []
    total_bytes = 0
    bots = 0
    n = 0
    for lineno, line in enumerate(log.splitlines(), 1):
        if not line.strip():
            continue
        m = LINE.match(line)
        if not m:
            if len(bad) < 50:
                bad.append(lineno)
            continue
        n += 1
        code = m["status"]
        status[code] += 1
        classes[code[0] + "xx"] += 1
        paths[m["path"].split("?", 1)[0]] += 1
        ips[m["ip"]] += 1
        if m["bytes"] != "-":
            total_bytes += int(m["bytes"])
        if BOT.search(m["agent"]):
            bots += 1
        if m["rt"]:
            slow.append((float(m["rt"]), m["method"], m["path"]))
    slow.sort(reverse=True)
    return {
        "requests": n,
        "by_class": dict(classes),
        "by_status": dict(status.most_common()),
        "top_paths": paths.most_common(top),
        "top_ips": ips.most_common(top),
        "bytes": total_bytes,
        "bot_share": round(bots / n, 3) if n else 0,
        "slowest": [{"seconds": s, "request": f"{m} {p}"} for s, m, p in slow[:top]],
        "unparsed_lines": bad,
    }


if __name__ == "__main__":
    req = json.load(sys.stdin)
    print(json.dumps(parse(str(req.get("log", "")), max(1, min(int(req.get("top", 10)), 100)))))
