#!/bin/sh
# Before/after of a change, the baseline built here from git, so that it is really the code of
# REV (a build directory left from another session is not): interleaved runs of the sandbox with
# the no-op and the calculator skill (bench/ab.py), then whether the scanners agree
# (bench/scan_same.py) and what each costs (bench/scan_ab.py).
# The "before -> after" numbers docs/BENCHMARKS.md quotes for a change come from these scripts.
#
#   sh bench/vs_rev.sh [REV] [BUILD]     REV default HEAD~1, BUILD (the "after") default build
set -eu
rev=$(git rev-parse --short "${1:-HEAD~1}")
build=${2:-build}
repo=$(git rev-parse --show-toplevel)
base=$(mktemp -d /tmp/skilllite-base-XXXXXX)
trap 'git -C "$repo" worktree remove --force "$base/src" >/dev/null 2>&1 || true; rm -rf "$base"' EXIT
git -C "$repo" worktree add --detach "$base/src" "$rev" >/dev/null
meson setup "$base/build" "$base/src" -Doptimization=2 -Ddebug=false -Dtests=false >/dev/null
ninja -C "$base/build" skilllite-sandbox >/dev/null
a=$base/build/skilllite-sandbox
b=$(realpath "$build")/skilllite-sandbox
echo "A = $rev ($a), B = $b"
echo "== sandbox, no-op skill"
/usr/bin/python3 "$repo/bench/ab.py" "$a" "$b" "$repo/bench/skills/noop" 16 30
echo "== sandbox, calculator"
/usr/bin/python3 "$repo/bench/ab.py" "$a" "$b" "$repo/skills/calculator" 10 20
echo "== scanner: same findings"
/usr/bin/python3 "$repo/bench/scan_same.py" "$a" "$b"
echo "== scanner: costs"
/usr/bin/python3 "$repo/bench/scan_ab.py" "$a" "$b"
