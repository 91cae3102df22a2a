import json, os, sys

import tempfile, shutil
json.loads(sys.stdin.read())
d = tempfile.mkdtemp()
with tempfile.NamedTemporaryFile("w+", dir=d, suffix=".txt") as f:
    f.write("hello " * 1000)
    f.flush()
    f.seek(0)
    data = f.read()
with tempfile.SpooledTemporaryFile(max_size=10) as s:
    s.write(b"x" * 100000)
    s.seek(0)
    big = len(s.read())
shutil.rmtree(d)
ok = data == "hello " * 1000 and big == 100000 and tempfile.gettempdir() == os.environ.get("TMPDIR")
print(json.dumps({"ok": ok, "detail": {"tempdir": tempfile.gettempdir(), "spooled": big}}))
