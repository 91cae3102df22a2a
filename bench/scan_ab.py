#!/usr/bin/python3
"""Scanner before/after of two engine binaries: what each costs on the synthetic files of
bench/scan_speed.py - callgrind instructions on the first MB (deterministic), and on the whole
~10 MB file peak RSS, page faults and the median wall/CPU time of interleaved runs.

    /usr/bin/python3 bench/scan_ab.py BIN_A BIN_B [ROUNDS]

Also checks that both print the same `scan --json` (without duration_ms) for every file."""
import json
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scan_speed  # noqa: E402

BLOCKS = (("Python", "py", scan_speed.PY_BLOCK), ("JavaScript", "js", scan_speed.JS_BLOCK),
          ("shell", "sh", scan_speed.SH_BLOCK))


def one_run(binary, path):
    pid = os.posix_spawn(binary, [binary, "scan", "--json", path], {},
                         file_actions=[(os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0)])
    t = os.times().elapsed
    _, _, ru = os.wait4(pid, 0)
    return (os.times().elapsed - t) * 1000, (ru.ru_utime + ru.ru_stime) * 1000, ru.ru_maxrss, ru.ru_minflt


def output(binary, path):
    p = subprocess.run([binary, "scan", "--json", path], capture_output=True)
    j = json.loads(p.stdout)
    j.pop("duration_ms", None)
    return p.returncode, j


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    a, b = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    with tempfile.TemporaryDirectory() as tmp:
        print("| language | instructions, first MB: A / B | peak RSS (MiB): A / B | page faults: A / B "
              "| wall (CPU), median of %d interleaved: A / B |" % rounds)
        print("|---|---|---|---|---|")
        for name, ext, block in BLOCKS:
            big = os.path.join(tmp, "big." + ext)
            size = scan_speed.synth(block, big)
            small = os.path.join(tmp, "small." + ext)
            with open(big, "rb") as f, open(small, "wb") as g:
                g.write(f.read(1 << 20))
            if output(a, big) != output(b, big) or output(a, small) != output(b, small):
                print(f"| {name} | OUTPUT DIFFERS | | | |")
                continue
            ins = [scan_speed.instructions([x, "scan", "--json", small], tmp) for x in (a, b)]
            runs = {a: [], b: []}
            for r in range(rounds):
                for x in (a, b) if r % 2 == 0 else (b, a):
                    runs[x].append(one_run(x, big))
            med = {x: [statistics.median(v[k] for v in runs[x]) for k in range(4)] for x in (a, b)}
            print(f"| {name} ({size / 1e6:.1f} MB) | {ins[0] / 1e6:.1f} M / {ins[1] / 1e6:.1f} M "
                  f"| {med[a][2] / 1024:.1f} / {med[b][2] / 1024:.1f} | {med[a][3]:.0f} / {med[b][3]:.0f} "
                  f"| {med[a][0]:.0f} ({med[a][1]:.0f}) / {med[b][0]:.0f} ({med[b][1]:.0f}) ms |")


if __name__ == "__main__":
    main()
