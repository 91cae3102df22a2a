import json, os, sys

import secrets, random
json.loads(sys.stdin.read())
a = os.urandom(32)
with open("/dev/urandom", "rb") as f:
    b = f.read(32)
t = secrets.token_hex(16)
r = random.SystemRandom().random()
ok = len(a) == 32 and len(b) == 32 and a != b and len(t) == 32 and 0 <= r < 1 and len(set(a)) > 8
print(json.dumps({"ok": ok, "detail": {"token": t}}))
