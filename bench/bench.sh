#!/bin/sh
# Performance of the sandbox, measured against baselines in the same run: the commands of each
# group are run interleaved (bench/interleave.py), medians and ratios reported.
#   sh bench/bench.sh [BUILD_DIR] [RUNS]
# (a) set-up cost: a no-op shell skill through skilllite-sandbox vs bubblewrap with equivalent
#     isolation vs a plain spawn of the same shell script;
# (b) the calculator skill end to end vs bare /usr/bin/python3, bubblewrap and firejail;
# (c) the engine's own peak RSS during a run (VmHWM, logged at SKILLLITE_LOG=debug).
# Writes bench/results/*.json and prints a markdown summary with ratios.
set -eu
BUILD=${1:-build}
RUNS=${2:-200}
cd "$(dirname "$0")/.."
OUT=bench/results
mkdir -p "$OUT"
BIN=$(realpath "$BUILD/skilllite-sandbox")
BASH=/usr/bin/bash
PY=/usr/bin/python3
NOOP=$(realpath bench/skills/noop)
CALC=$(realpath skills/calculator)

# bubblewrap, as strict as it goes without extra tooling: all namespaces, no caps, new session,
# clean env, read-only /usr, a private /proc, /dev and /tmp, the skill read-only at /skill.
bw() {
	skill=$1
	shift
	echo "/usr/bin/bwrap --unshare-all --die-with-parent --new-session --cap-drop ALL --clearenv \
--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 \
--proc /proc --dev /dev --tmpfs /tmp --ro-bind $skill /skill --chdir /skill --hostname sandbox \
--setenv PATH /usr/bin:/bin --setenv HOME /tmp $*"
}
fj() {
	echo "/usr/bin/firejail --quiet --noprofile --private-tmp --private-dev --net=none --caps.drop=all \
--seccomp --nonewprivs --nogroups --noroot $*"
}

echo "== (a) sandbox set-up: no-op shell skill"
$PY bench/interleave.py --runs "$RUNS" --warmup 20 --json "$OUT/setup.json" \
	"plain=$BASH $NOOP/scripts/main.sh" \
	"skilllite=$BIN run --sandbox-level 2 $NOOP {}" \
	"bwrap=$(bw "$NOOP" $BASH /skill/scripts/main.sh)"

echo "== (b) calculator end to end"
$PY bench/interleave.py --runs "$RUNS" --warmup 10 --json "$OUT/calculator.json" \
	"python=$PY $CALC/scripts/main.py" \
	"skilllite=$BIN run --sandbox-level 2 $CALC {}" \
	"bwrap=$(bw "$CALC" $PY /skill/scripts/main.py)" \
	"firejail=$(fj $PY $CALC/scripts/main.py)"

echo "== (c) engine peak RSS"
rss=$(SKILLLITE_LOG=debug "$BIN" run --sandbox-level 2 "$CALC" '{}' 2>&1 >/dev/null |
	sed -n 's/.*engine peak RSS: \([0-9]*\) kB.*/\1/p')
echo "{\"engine_peak_rss_kb\": ${rss:-0}}" > "$OUT/rss.json"

$PY - "$OUT" <<'PY'
import json, sys, statistics
out = sys.argv[1]
def load(name):
    return json.load(open(f"{out}/{name}.json"))
def ms(r):
    return r["median_ms"]
setup, calc = load("setup"), load("calculator")
rss = json.load(open(f"{out}/rss.json"))["engine_peak_rss_kb"]
p, s, b = (ms(setup[k]) for k in ("plain", "skilllite", "bwrap"))
print("\n## Results (medians)\n")
print("| measurement | value |\n|---|---|")
print(f"| no-op skill, plain spawn | {p:.2f} ms |")
print(f"| no-op skill, skilllite-sandbox | {s:.2f} ms (set-up overhead {s - p:.2f} ms) |")
print(f"| no-op skill, bubblewrap | {b:.2f} ms (overhead {b - p:.2f} ms) |")
print(f"| skilllite overhead / bwrap overhead | {(s - p) / max(b - p, 1e-9):.2f}x |")
c = {k: ms(v) for k, v in calc.items()}
for k in ("python", "skilllite", "bwrap", "firejail"):
    if k in c:
        print(f"| calculator, {k} | {c[k]:.2f} ms ({c[k] / c['python']:.2f}x bare python) |")
print(f"| engine peak RSS during a run | {rss} kB |")
PY
