"""Scanner speed: throughput on ~10 MB synthetic files (Python, JavaScript, shell) and latency of
a whole typical skill, each next to a baseline measured in the same run.

    /usr/bin/python3 bench/scan_speed.py BUILD_DIR [RUNS]

Throughput = file bytes / mean (and median) wall time of `skilllite-sandbox scan --json FILE` (whole command:
process start, read, lex, rules, JSON out). Baseline: CPython's own parser on the same file
(`ast.parse`, with the interpreter's start-up subtracted) - what "understanding the code" costs
in the most common alternative. Also: user/system CPU split (os.wait4) and callgrind instructions
per byte on the first 1 MB, which do not depend on how busy the machine is. Latency: `scan` of bundled and corpus skills vs. `true`
(process start) and `/usr/bin/python3 -c pass`. Uses hyperfine's JSON export."""
import json
import os
import pathlib
import random
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
TARGET = 10 * 1024 * 1024

PY_BLOCK = '''
def transform_{n}(rows, key="value", scale={n}):
    """Scale one column of the rows; skip rows without it."""
    out = []
    for row in rows:
        if key not in row:
            continue
        v = float(row[key]) * scale / 3.0
        out.append({{**row, key: round(v, 4), "id": "{n}-" + str(len(out))}})
    total = sum(r[key] for r in out)  # running total
    return {{"rows": out, "total": total, "label": f"block {{len(out)}} of {n}"}}

'''
JS_BLOCK = '''
export function transform{n}(rows, key = 'value', scale = {n}) {{
  // Scale one column of the rows; skip rows without it.
  const out = [];
  for (const row of rows) {{
    if (!(key in row)) continue;
    const v = Number(row[key]) * scale / 3;
    out.push({{ ...row, [key]: Math.round(v * 1e4) / 1e4, id: `{n}-${{out.length}}` }});
  }}
  const total = out.reduce((a, r) => a + r[key], 0); /* running total */
  return {{ rows: out, total, label: 'block ' + out.length + ' of {n}' }};
}}

'''
SH_BLOCK = '''
transform_{n}() {{
  # Count words per line of the input file, keep the top ones.
  local file="$1" limit="${{2:-{n}}}"
  if [ ! -f "$file" ]; then echo "missing: $file" >&2; return 1; fi
  tr -s ' ' '\\n' < "$file" | sort | uniq -c | sort -rn | head -n "$limit" > "$TMPDIR/out_{n}.txt"
  while read -r count word; do
    printf '%s\\t%s\\n' "$word" "$count"
  done < "$TMPDIR/out_{n}.txt"
}}

'''


def synth(block, path):
    with open(path, "w") as f:
        n = 0
        size = 0
        while size < TARGET:
            text = block.format(n=n)
            f.write(text)
            size += len(text)
            n += 1
    return os.path.getsize(path)


def hyperfine(cmds, runs, out_json):
    subprocess.run(["hyperfine", "-N", "-i", "--warmup", "3", "--runs", str(runs), "--export-json", out_json,
                    *cmds], check=True, stdout=subprocess.DEVNULL)
    with open(out_json) as f:
        return {r["command"]: r for r in json.load(f)["results"]}


def instructions(cmd, tmp):
    """Instructions of a whole command under callgrind (timings on this shared VM are noisy;
    instruction counts are not)."""
    res = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.out", *cmd],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    for line in res.stderr.splitlines():
        if "refs:" in line:
            return int(line.split("refs:")[1].strip().replace(",", ""))
    raise RuntimeError("callgrind printed no instruction count")


def cpu_split(cmd, runs):
    """Mean user and system CPU seconds of cmd (page faults on the token tables show up as sys)."""
    user = sys_ = 0.0
    for _ in range(runs):
        pid = subprocess.Popen(cmd, stdout=subprocess.DEVNULL).pid
        _, status, ru = os.wait4(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{cmd} failed")
        user += ru.ru_utime
        sys_ += ru.ru_stime
    return user / runs, sys_ / runs


def main():
    build = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "build").resolve()
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    scanner = build / "skilllite-sandbox"
    py = "/usr/bin/python3"
    random.seed(1)
    with tempfile.TemporaryDirectory(prefix="skilllite-scanbench-") as tmp:
        tmp = pathlib.Path(tmp)
        rows = []
        start = hyperfine([f"{py} -c pass"], runs, str(tmp / "start.json"))[f"{py} -c pass"]["mean"]
        for lang, block, ext in (("Python", PY_BLOCK, "py"), ("JavaScript", JS_BLOCK, "js"),
                                 ("shell", SH_BLOCK, "sh")):
            f = tmp / f"big.{ext}"
            size = synth(block, f)
            cmds = [f"{scanner} scan --json --fail-on critical {f}"]
            if ext == "py":
                cmds.append(f"{py} -c \"import ast,sys; ast.parse(open(sys.argv[1]).read())\" {f}")
            # ours: enough runs for a median; CPython's parse takes ~10 s a run
            res = hyperfine(cmds[:1], max(9, runs // 2), str(tmp / f"{ext}.json"))
            if len(cmds) > 1:
                res.update(hyperfine(cmds[1:], max(3, runs // 4), str(tmp / f"{ext}-base.json")))
            ours = res[cmds[0]]["mean"]
            med = res[cmds[0]]["median"]
            row = {"lang": lang, "bytes": size, "scan_s": ours, "scan_mb_s": size / ours / 1e6,
                   "scan_med_s": med, "scan_med_mb_s": size / med / 1e6}
            scan_cmd = [str(scanner), "scan", "--json", "--fail-on", "critical", str(f)]
            row["user_s"], row["sys_s"] = cpu_split(scan_cmd, 5)
            # Instructions on the first 1 MB (the whole 10 MB takes minutes under valgrind).
            head = tmp / f"head.{ext}"
            head.write_bytes(f.read_bytes()[:1 << 20])
            row["instr_per_byte"] = instructions([*scan_cmd[:-1], str(head)], tmp) / (1 << 20)
            if ext == "py":
                base = res[cmds[1]]["mean"] - start
                row["ast_parse_s"] = base
                row["ast_mb_s"] = size / base / 1e6
            rows.append(row)
        skills = [ROOT / "skills" / "calculator", ROOT / "skills" / "text-processor",
                  ROOT / "tests" / "scan" / "benign" / "weather-week",
                  ROOT / "tests" / "scan" / "malicious" / "html-sanitizer"]
        skills = [s for s in skills if s.exists()]
        cmds = [f"{scanner} scan --json --fail-on critical {s}" for s in skills] + ["true", f"{py} -c pass"]
        lat = hyperfine(cmds, runs * 5, str(tmp / "lat.json"))
        true_ms = lat["true"]["mean"] * 1e3
    print("## scan throughput (one ~10 MB file, whole command)")
    # the median too: on a VM that hands freed memory back to the host (virtio-balloon free page
    # reporting) a run now and then pays for the host faulting its pages in again (docs/BENCHMARKS.md)
    print("| language | size | scan, mean / median | MB/s, mean / median | user / sys CPU | instructions per byte (1 MB) "
          "| CPython ast.parse | MB/s |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        extra = (f"{r['ast_parse_s'] * 1e3:.0f} ms | {r['ast_mb_s']:.1f}" if "ast_parse_s" in r else "- | -")
        print(f"| {r['lang']} | {r['bytes'] / 1e6:.1f} MB | {r['scan_s'] * 1e3:.0f} / {r['scan_med_s'] * 1e3:.0f} ms | "
              f"{r['scan_mb_s']:.1f} / {r['scan_med_mb_s']:.1f} | "
              f"{r['user_s'] * 1e3:.0f} / {r['sys_s'] * 1e3:.0f} ms | {r['instr_per_byte']:.0f} | {extra} |")
    print()
    print("## scan latency, whole skill (mean of %d runs)" % (runs * 5))
    print("| skill | files | scan (ms) | minus process start (ms) |")
    print("|---|---|---|---|")
    for s in skills:
        m = lat[f"{scanner} scan --json --fail-on critical {s}"]["mean"] * 1e3
        n = sum(1 for p in s.rglob("*") if p.is_file())
        print(f"| {s.relative_to(ROOT)} | {n} | {m:.2f} | {m - true_ms:.2f} |")
    print(f"| (baseline) `true` | - | {true_ms:.2f} | - |")
    print(f"| (baseline) `python3 -c pass` | - | {lat[f'{py} -c pass']['mean'] * 1e3:.2f} | - |")


if __name__ == "__main__":
    main()
