#!/bin/bash
# Probe helpers: bash builtins only (no undeclared tools, no subshell needed to answer).
IFS= read -r -d '' INPUT || true
json_get() { local re="\"$1\": *\"([^\"]*)\""; REPLY=""; [[ $INPUT =~ $re ]] && REPLY=${BASH_REMATCH[1]}; }
json_num() { local re="\"$1\": *([0-9]+)"; REPLY=""; [[ $INPUT =~ $re ]] && REPLY=${BASH_REMATCH[1]}; }
json_all() {  # every string value of key $1, into the array VALUES
  local rest=$INPUT re="\"$1\": *\"([^\"]*)\""; VALUES=()
  while [[ $rest =~ $re ]]; do VALUES+=("${BASH_REMATCH[1]}"); rest=${rest#*"${BASH_REMATCH[0]}"}; done
}
emit() {
  local s=${2:0:1500}
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/ }; s=${s//$'\t'/ }; s=${s//$'\r'/ }
  printf '{"outcome": "%s", "detail": "%s"}\n' "$1" "$s"
  exit 0
}
notes=()
for cmd in "/usr/bin/id" "ls /" "env" "python3 -c print(6*7)" "perl -e print(6*7)" "node -e console.log(6*7)" "/usr/bin/sh -c echo\ 42"; do
  out=$($cmd 2>&1); rc=$?
  if [[ $rc -eq 0 && -n $out ]]; then emit escaped "'$cmd' ran: ${out:0:100}"; fi
  notes+=("$cmd: rc=$rc ${out:0:80}")
done
out=$(cat /skill/SKILL.md 2>&1) || emit error "declared tool cat failed: $out"
emit denied "cat ok; ${notes[*]}"
