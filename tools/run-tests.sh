#!/bin/sh
# Every test suite, on the release build and again on the ASan+UBSan build, then a short fuzz
# run of each target and the banned-function check. Prints one total line at the end.
set -u
BUILD=$1 ASAN=$2 FUZZ=$3 FUZZ_SECS=$4
PYTHON=/usr/bin/python3
passed=0 failed=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

# criterion: "[====] Synthesis: Tested: N | Passing: P | Failing: F | Crashing: C"
run_unit() { # label build
	"$2/tests/unit/unit-tests" --jobs 2 >"$log/unit" 2>&1
	rc=$?
	cat "$log/unit" | grep -vE '^\[----\]|^\[RUN \]|^\[PASS\]' | tail -n 20
	line=$(grep 'Synthesis' "$log/unit" | tail -1)
	p=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	f=$(echo "$line" | sed -n 's/.*Failing: \([0-9]*\) | Crashing: \([0-9]*\).*/\1 \2/p')
	[ -n "$p" ] || { p=0; f="1 0"; }
	set -- $f
	passed=$((passed + p)); failed=$((failed + $1 + $2))
	[ $rc -eq 0 ] || [ $(( $1 + $2 )) -gt 0 ] || failed=$((failed + 1))
	echo "== $label unit: $p passed, $(( $1 + $2 )) failed"
}

# pytest -q last line: "N passed, M failed in Xs" (parts optional)
run_e2e() { # label build [test dir]
	SKILLLITE_BIN_DIR=$(realpath "$2") $PYTHON -m pytest -q -p no:cacheprovider "${3:-tests/e2e}" >"$log/e2e" 2>&1
	rc=$?
	grep -E "^(FAILED|ERROR) " "$log/e2e" | head -n 40
	tail -n 5 "$log/e2e"
	last=$(tail -1 "$log/e2e")
	p=$(echo "$last" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || true)
	f=0
	for n in $(echo "$last" | grep -oE '[0-9]+ (failed|error|errors)' | grep -oE '^[0-9]+'); do
		f=$((f + n))
	done
	p=${p:-0}
	[ $rc -eq 0 ] || [ "$f" -gt 0 ] || f=1
	passed=$((passed + p)); failed=$((failed + f))
	echo "== $label ${3:-tests/e2e}: $p passed, $f failed"
}

label=release; run_unit release "$BUILD"; run_e2e release "$BUILD"; run_e2e release "$BUILD" python/tests
export ASAN_OPTIONS=detect_leaks=1:exitcode=86:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=86
label=asan; run_unit asan "$ASAN"; run_e2e asan "$ASAN"; run_e2e asan "$ASAN" python/tests
unset ASAN_OPTIONS UBSAN_OPTIONS

# The Python SDK says it is typed (py.typed): hold it to that.
if $PYTHON -m mypy --strict --cache-dir=/dev/null --python-version 3.9 python/skilllite >"$log/mypy" 2>&1; then
	passed=$((passed + 1)); echo "== mypy --strict python/skilllite: passed"
else
	cat "$log/mypy"; failed=$((failed + 1)); echo "== mypy --strict python/skilllite: FAILED"
fi
if make -s fuzz-build >"$log/fuzzb" 2>&1 && sh tools/fuzz.sh "$FUZZ" "$FUZZ_SECS"; then
	passed=$((passed + 1)); echo "== fuzz: passed"
else
	tail -n 30 "$log/fuzzb"; failed=$((failed + 1)); echo "== fuzz: FAILED"
fi
if sh tools/check-banned.sh src bench tests/unit tests/fuzz; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo "make test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
