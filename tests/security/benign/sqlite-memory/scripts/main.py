import json, os, sys

import sqlite3
json.loads(sys.stdin.read())
res = []
for target in (":memory:", os.path.join(os.environ.get("TMPDIR", "/tmp"), "t.db")):
    db = sqlite3.connect(target)
    if target != ":memory:":
        db.execute("PRAGMA journal_mode=WAL")
    db.execute("create table t (k integer primary key, v text)")
    db.executemany("insert into t (v) values (?)", [("v%d" % i,) for i in range(1000)])
    db.commit()
    res.append(db.execute("select count(*), max(k) from t where v like 'v9%'").fetchone())
    db.close()
print(json.dumps({"ok": all(r == (111, 1000) for r in res), "detail": res}))
