#!/usr/bin/python3
"""Interleaved A/B of two engine binaries: how the numbers of "before/after" changes in
docs/BENCHMARKS.md were taken (build the old commit into another directory first).

    /usr/bin/python3 bench/ab.py BIN_A BIN_B [SKILL_DIR] [ROUNDS] [RUNS_PER_ROUND]

Each round runs `BIN run --sandbox-level 2 SKILL_DIR -` RUNS_PER_ROUND times for A and for B,
alternating which goes first; prints the median over rounds of the CPU time (user + system of
the whole process tree, from wait) and of the wall time per run. Default skill: the no-op shell
skill, 16 rounds of 30."""
import os
import resource
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV = {"PATH": "/usr/bin:/bin"}


def per_run(argv, n, stdin):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    for _ in range(n):
        p = subprocess.run(argv, input=stdin, capture_output=True, env=ENV)
        assert p.returncode == 0, p
    wall = (time.perf_counter() - t) / n * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) / n * 1000
    return cpu, wall


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    a, b = sys.argv[1], sys.argv[2]
    skill = sys.argv[3] if len(sys.argv) > 3 else os.path.join(REPO, "bench", "skills", "noop")
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 16
    n = int(sys.argv[5]) if len(sys.argv) > 5 else 30
    stdin = b'{"operation": "add", "a": 2, "b": 3}'
    res = {a: [], b: []}
    for r in range(rounds):
        for binary in (a, b) if r % 2 == 0 else (b, a):
            res[binary].append(per_run([binary, "run", "--sandbox-level", "2", skill, "-"], n, stdin))
    for name, label in ((a, "A"), (b, "B")):
        cpu = statistics.median(c for c, _ in res[name])
        wall = statistics.median(w for _, w in res[name])
        print(f"{label} {name}: CPU {cpu:.2f} ms, wall {wall:.2f} ms per run "
              f"(medians of {rounds} rounds of {n})")


if __name__ == "__main__":
    main()
