# Thin wrapper over meson: set-up, build, demo, tests. See README.md.
# Every target that builds first runs `deps`, so a fresh machine needs nothing else.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
PYTHON     := /usr/bin/python3
FUZZ_SECS  ?= 30
MESON_OPTS ?= --werror

# Debian packages the build and the tests need (keep in sync with docs/ARCHITECTURE.md).
APT_PACKAGES := build-essential meson ninja-build pkg-config clang libclang-rt-14-dev \
	libjansson-dev libyaml-dev libseccomp-dev libpcre2-dev libcurl4-openssl-dev libssl-dev \
	libsqlite3-dev libarchive-dev libgit2-dev libcriterion-dev \
	python3 python3-pytest python3-mypy python3-venv python3-pip nodejs git valgrind bubblewrap hyperfine time

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build deps asan fuzz-build fuzz demo test unit e2e check-banned size bench clean

all: build

deps: .deps-stamp
.deps-stamp: Makefile tools/deps.sh
	SUDO="$(SUDO)" sh tools/deps.sh $(APT_PACKAGES)
	touch $@

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) $(MESON_OPTS) -Db_sanitize=address,undefined -Db_lundef=false \
		-Doptimization=1 -Ddebug=true -Dc_args=-fno-sanitize-recover=all

asan: deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)

# PY_SKIP_MIN_TOKENS=0: the Python analyser's reporting pass steps over dull function bodies in
# every file, not only in big ones, so that fuzz inputs (a few KB) reach that code too.
$(FUZZ_BUILD)/build.ninja:
	CC=clang meson setup $(FUZZ_BUILD) -Dfuzz=true -Dtests=false -Dagent=false \
		-Db_sanitize=address,undefined -Db_lundef=false -Doptimization=1 -Ddebug=true \
		-Dc_args='-fsanitize=fuzzer-no-link -fno-sanitize-recover=all -DPY_SKIP_MIN_TOKENS=0'

fuzz-build: deps $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD)

# Short fuzz run of every target (FUZZ_SECS each), seeded from tests/fuzz/corpus/<target>.
fuzz: fuzz-build
	sh tools/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECS)

demo: build
	sh tools/demo.sh $(BUILD)

unit: build
	$(BUILD)/tests/unit/unit-tests --jobs 2

e2e: build
	SKILLLITE_BIN_DIR=$(abspath $(BUILD)) $(PYTHON) -m pytest -q tests/e2e

check-banned:
	sh tools/check-banned.sh src bench tests/unit tests/fuzz

test: build asan
	sh tools/run-tests.sh $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(FUZZ_SECS)

size: build
	sh tools/size.sh $(BUILD)

# Benchmarks (not part of make test): also needs firejail for the comparison, and gdb for
# bench/exit_rss.py.
bench: build
	SUDO="$(SUDO)" sh tools/deps.sh firejail gdb
	sh bench/bench.sh $(BUILD)
	/usr/bin/python3 bench/net_latency.py $(BUILD) 200 5
	/usr/bin/python3 bench/scan_speed.py $(BUILD) 20
	/usr/bin/python3 bench/serve_bench.py $(BUILD) 200
	/usr/bin/python3 bench/serve_load.py $(BUILD) 10000
	/usr/bin/python3 tests/scan/score.py --bin $(BUILD)/skilllite-sandbox

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) .deps-stamp
