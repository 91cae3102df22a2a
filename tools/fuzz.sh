#!/bin/sh
# Run every libFuzzer target in BUILD for SECS seconds, seeded from tests/fuzz/corpus/<target>.
# New inputs go to a scratch dir so the committed corpus only changes on purpose.
set -eu
BUILD=$1 SECS=$2
status=0
for t in "$BUILD"/tests/fuzz/fuzz_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=$(basename "$t")
	scratch=$(mktemp -d)
	seeds=tests/fuzz/corpus/$name
	dict=tests/fuzz/$name.dict
	set -- -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
	[ -f "$dict" ] && set -- "$@" -dict="$dict"
	if "$t" "$@" "$scratch" "$seeds" >"$scratch.log" 2>&1; then
		execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$scratch.log" | grep -o '[0-9]*$')
		echo "fuzz: $name ok, $execs execs in ${SECS}s"
	else
		tail -n 40 "$scratch.log"
		echo "fuzz: $name FAILED"
		status=1
	fi
	rm -rf "$scratch" "$scratch.log"
done
exit $status
