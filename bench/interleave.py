#!/usr/bin/python3
"""Time several commands interleaved (A B C A B C ...), so that drift on a shared machine hits
them all alike, and report medians, p90 and ratios to the first command.

    bench/interleave.py --runs 200 --warmup 10 --json out.json NAME=COMMAND [NAME=COMMAND ...]

Each COMMAND is split like a shell would (shlex), run with stdin/stdout/stderr on /dev/null via
posix_spawn, and timed from spawn to exit. Non-zero exits abort the benchmark."""
import argparse
import json
import os
import shlex
import statistics
import time


def run_once(argv):
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        actions = [(os.POSIX_SPAWN_DUP2, devnull, 0), (os.POSIX_SPAWN_DUP2, devnull, 1),
                   (os.POSIX_SPAWN_DUP2, devnull, 2)]
        t0 = time.perf_counter_ns()
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
        _, status = os.waitpid(pid, 0)
        t1 = time.perf_counter_ns()
    finally:
        os.close(devnull)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} exited with {code}")
    return (t1 - t0) / 1e6


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--json")
    ap.add_argument("commands", nargs="+", metavar="NAME=COMMAND")
    args = ap.parse_args()
    cmds = []
    for spec in args.commands:
        name, _, command = spec.partition("=")
        argv = shlex.split(command)
        if not os.path.isabs(argv[0]):
            raise SystemExit(f"{name}: give the program as an absolute path")
        cmds.append((name, argv))
    for _ in range(args.warmup):
        for _, argv in cmds:
            run_once(argv)
    times = {name: [] for name, _ in cmds}
    for _ in range(args.runs):
        for name, argv in cmds:
            times[name].append(run_once(argv))
    base = statistics.median(times[cmds[0][0]])
    result = {}
    print(f"{'command':<12} {'median ms':>10} {'p90 ms':>8} {'ratio':>7}")
    for name, _ in cmds:
        t = sorted(times[name])
        med = statistics.median(t)
        p90 = t[int(len(t) * 0.9) - 1]
        result[name] = {"median_ms": med, "p90_ms": p90, "ratio": med / base, "runs": len(t)}
        print(f"{name:<12} {med:>10.2f} {p90:>8.2f} {med / base:>6.2f}x")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
