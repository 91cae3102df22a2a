#!/usr/bin/python3
"""How serve starts its children, forked (the default) or exec'd (SKILLLITE_SERVE_SPAWN=exec):
interleaved rounds on one binary, each a fresh daemon with 8 client threads sending calculator
runs back to back; prints the median CPU per request (the daemon and everything under it, from
the children's rusage) and requests/s. The numbers in docs/BENCHMARKS.md (seventh session).

    /usr/bin/python3 bench/serve_ab.py BUILD_DIR [ROUNDS] [REQUESTS_PER_CLIENT] [POOL]"""
import os
import resource
import statistics
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "e2e"))
from serve_client import Serve  # noqa: E402

BIN = os.path.join(sys.argv[1] if len(sys.argv) > 1 else "build", "skilllite")
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 6
N = int(sys.argv[3]) if len(sys.argv) > 3 else 20
POOL = sys.argv[4] if len(sys.argv) > 4 else "2"
CLIENTS = 8
PARAMS = {"skill": os.path.join(REPO, "skills", "calculator"),
          "input": {"operation": "add", "a": 2, "b": 3}, "options": {"sandbox_level": 2}}


def one_round(mode):
    env = {"SKILLLITE_POOL_IDLE_SECS": "600"}
    if mode == "exec":
        env["SKILLLITE_SERVE_SPAWN"] = "exec"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    s = Serve(BIN, "--pool", POOL, "--max-inflight", "256", env=env)
    s.call("run", PARAMS)
    time.sleep(0.3)

    def client():
        for _ in range(N):
            r = s.call("run", PARAMS, timeout=120)
            assert r.get("result", {}).get("output") == {"result": 5}, r

    start = time.time()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rps = CLIENTS * N / (time.time() - start)
    s.close()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return cpu * 1000 / (CLIENTS * N + 1), rps


def main():
    cpu = {"fork": [], "exec": []}
    rps = {"fork": [], "exec": []}
    for r in range(ROUNDS):
        for mode in ("fork", "exec") if r % 2 == 0 else ("exec", "fork"):
            c, q = one_round(mode)
            cpu[mode].append(c)
            rps[mode].append(q)
    for mode in cpu:
        print(f"{mode}: CPU per request {statistics.median(cpu[mode]):.2f} ms, "
              f"{statistics.median(rps[mode]):.1f} requests/s (medians of {ROUNDS} rounds, --pool {POOL})")


if __name__ == "__main__":
    main()
