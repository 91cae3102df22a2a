#!/usr/bin/python3
"""The daemon's RSS under one kind of request: whether it grows, and whether it levels off.

    /usr/bin/python3 bench/serve_rss.py BIN KIND N      KIND: ping validate list run bad

Sends N requests of that kind to one `serve` daemon, 16 in flight, and prints its VmRSS (kB)
after the first request and every N/8 requests. docs/BENCHMARKS.md, "Serving": list 64000."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "e2e"))
from serve_client import Serve, rss_kb  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN, KIND, N = sys.argv[1], sys.argv[2], int(sys.argv[3])
INFLIGHT = 16
REQUESTS = {
    "ping": ("ping", None),
    "validate": ("validate", {"skill": "calculator"}),
    "list": ("list_skills", None),
    "run": ("run", {"skill": "calculator", "input": {"operation": "add", "a": 1, "b": 1},
                    "options": {"sandbox_level": 2}}),
    "bad": ("nosuch", None),
}


def main():
    method, params = REQUESTS[KIND]
    s = Serve(BIN, "-s", os.path.join(REPO, "skills"), "--max-inflight", "64")
    s.call("ping")
    samples, pending = [], []
    for i in range(N):
        pending.append(s.submit(method, params) if params is not None else s.submit(method))
        if len(pending) >= INFLIGHT:
            pending.pop(0).get(timeout=120)
        if i % max(1, N // 8) == 0:
            samples.append(rss_kb(s.proc.pid))
    for q in pending:
        q.get(timeout=120)
    samples.append(rss_kb(s.proc.pid))
    print(KIND, samples)
    s.close()


if __name__ == "__main__":
    main()
