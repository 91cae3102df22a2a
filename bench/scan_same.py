#!/usr/bin/python3
"""Do two engine binaries scan alike? `scan --json` (without duration_ms) and the exit status of
both, for every skill and script of the scan corpus, the security corpus, the bundled skills, the
e2e fixtures and the fuzz seeds, plus copies of 300 of those scripts with CRLF and with lone CR
line ends. How a scanner change that must not change findings is checked (docs/BENCHMARKS.md).

    /usr/bin/python3 bench/scan_same.py BIN_A BIN_B"""
import json
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASES = ("tests/scan", "tests/security", "skills", "tests/e2e", "tests/fuzz/corpus")
SCRIPTS = (".py", ".js", ".sh", ".ts", ".mjs", ".cjs")


def targets(tmp):
    found = []
    for base in BASES:
        for root, _, files in os.walk(os.path.join(REPO, base)):
            if "SKILL.md" in files:
                found.append(root)
            found += [os.path.join(root, f) for f in files if f.endswith(SCRIPTS) or base.endswith("corpus")]
    scripts = [t for t in found if os.path.isfile(t) and t.endswith((".py", ".js", ".sh"))][:300]
    for n, t in enumerate(scripts):
        with open(t, "rb") as f:
            data = f.read()
        for kind, end in (("crlf", b"\r\n"), ("cr", b"\r")):
            p = os.path.join(tmp, f"{n}_{kind}{os.path.splitext(t)[1]}")
            with open(p, "wb") as f:
                f.write(data.replace(b"\n", end))
            found.append(p)
    return found


def scan(binary, target):
    p = subprocess.run([binary, "scan", "--json", target], capture_output=True)
    try:
        report = json.loads(p.stdout)
    except ValueError:
        return p.returncode, p.stdout + p.stderr
    report.pop("duration_ms", None)
    return p.returncode, report


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, b = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        all_targets = targets(tmp)
        differ = [t for t in all_targets if scan(a, t) != scan(b, t)]
    for t in differ[:20]:
        print("differs:", t)
    print(f"{len(all_targets)} inputs, {len(differ)} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
