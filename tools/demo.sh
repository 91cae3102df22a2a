#!/bin/sh
# make demo: validate and show the bundled calculator skill with the freshly built binary.
set -eu
BIN=$1/skilllite
echo "\$ skilllite validate skills/calculator"
"$BIN" validate skills/calculator
echo
echo "\$ skilllite info skills/calculator"
"$BIN" info skills/calculator
echo
echo "\$ skilllite list -s skills"
"$BIN" list -s skills
echo
echo "\$ skilllite show -s skills calculator --json"
"$BIN" show -s skills calculator --json
