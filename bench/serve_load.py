#!/usr/bin/python3
"""Load test of `skilllite serve`: N requests (default 10,000) with 16 in flight, a mix of ping,
validate, list_skills and calculator runs (every third request a sandboxed run). Checks: every
request answered exactly once with the right answer, no processes or descriptors left behind,
and the daemon's memory flat (RSS sampled every 1,000 requests).
    /usr/bin/python3 bench/serve_load.py [BUILD_DIR] [N]"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "tests", "e2e"))
from serve_client import Serve, rss_kb  # noqa: E402

BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
BIN = os.path.join(REPO, BUILD, "skilllite")
SKILLS = os.path.join(REPO, "skills")
INFLIGHT = 16


def descendants(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for t in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{t}/children") as f:
                    kids = [int(x) for x in f.read().split()]
                out += kids
                todo += kids
        except OSError:
            pass
    return out


def main():
    s = Serve(BIN, "-s", SKILLS, "--max-inflight", "64")
    s.call("ping")
    fds0 = len(os.listdir(f"/proc/{s.proc.pid}/fd"))
    pending = {}
    expect = {}
    rss = []
    t = time.perf_counter()
    for i in range(N):
        kind = i % 6
        if kind in (0, 3):
            q = s.submit("ping")
            expect[i] = ("version", None)
        elif kind == 1:
            q = s.submit("validate", {"skill": "calculator"})
            expect[i] = ("valid", True)
        elif kind == 4:
            q = s.submit("list_skills")
            expect[i] = ("skills", None)
        else:
            q = s.submit("run", {"skill": "calculator", "input": {"operation": "add", "a": i, "b": 1},
                                 "options": {"sandbox_level": 2}})
            expect[i] = ("output", {"result": i + 1})
        pending[i] = q
        if i >= INFLIGHT:
            j = i - INFLIGHT
            pending[j] = pending[j].get(timeout=120)
        if i % 1000 == 999:
            rss.append(rss_kb(s.proc.pid))
    for i in range(max(0, N - INFLIGHT), N):
        pending[i] = pending[i].get(timeout=120)
    wall = time.perf_counter() - t
    bad = []
    for i, r in pending.items():
        key, want = expect[i]
        res = r.get("result")
        if res is None or key not in res or (want is not None and res[key] != want):
            bad.append((i, r))
    status = s.call("ping")["result"]
    ids = [m["id"] for m in s.all]
    fds1 = len(os.listdir(f"/proc/{s.proc.pid}/fd"))
    kids = descendants(s.proc.pid)
    rc = s.close()
    time.sleep(0.5)
    print(f"{N} requests, {INFLIGHT} in flight, {wall:.1f} s ({N / wall:.0f}/s)")
    print(f"answers: {len(ids) - 2} (+2 pings), distinct ids {len(set(ids))}, wrong {len(bad)}")
    print(f"daemon after the run: {status['inflight']} in flight")
    print(f"daemon RSS (kB) every 1000 requests: {rss}")
    print(f"descriptors: {fds0} at start, {fds1} at end with {status['pool']['warm']} warm sandboxes "
          f"(4 each); processes under the daemon at the end: {len(kids)} (warm sandboxes' trees)")
    print(f"pool: {status['pool']}; exit status {rc}")
    ok = (not bad and len(ids) == N + 2 and len(set(ids)) == N + 2 and rc == 0
          and fds1 == fds0 + 4 * status["pool"]["warm"] and rss[-1] < rss[0] * 1.5 + 2048)
    print("PASS" if ok else "FAIL")
    if bad:
        print(bad[:3])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
