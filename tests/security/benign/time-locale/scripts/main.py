import json, os, sys

import time, datetime, locale
json.loads(sys.stdin.read())
now = time.time()
m0 = time.monotonic(); time.sleep(0.05); m1 = time.monotonic()
loc = locale.setlocale(locale.LC_ALL, "")
s = datetime.datetime(2024, 2, 29, 13, 5).strftime("%A %d %B %Y %H:%M")
tz = time.strftime("%Z")
ok = now > 1.7e9 and 0.04 < m1 - m0 < 2 and s == "Thursday 29 February 2024 13:05" and "{:,}".format(1234567) == "1,234,567"
print(json.dumps({"ok": ok, "detail": {"locale": loc, "tz": tz, "formatted": s, "now": now}}))
