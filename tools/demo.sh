#!/bin/sh
# make demo: check the bundled calculator skill, then run it inside the sandbox.
set -eu
BIN=$1/skilllite
run() { echo "\$ skilllite $*"; "$BIN" "$@"; echo; }
run validate skills/calculator
run info skills/calculator
run list -s skills
# The sandbox: fresh namespaces, a read-only tmpfs root, Landlock, seccomp, no capabilities.
run run --sandbox-level 2 skills/calculator '{"operation": "multiply", "a": 123, "b": 456}'
echo "\$ skilllite run --json skills/calculator '{\"operation\": \"power\", \"a\": 2, \"b\": 10}'   (envelope, abridged)"
"$BIN" run --json skills/calculator '{"operation": "power", "a": 2, "b": 10}' |
	/usr/bin/python3 -c 'import json,sys; e=json.load(sys.stdin); s=e["sandbox"]
print(json.dumps({k: e[k] for k in ("ok","reason","output","duration_ms","peak_memory_kb")}))
print("isolation:", ", ".join(s["namespaces"]), "| landlock ABI", s["landlock"]["abi"], "| limits by", s["limits"]["enforced_by"]["memory"])'
