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
json_get token; tok=$REPLY
done_=(); notes=()
for p in "/tmp/skilllite-escape-$tok" "/skill/skilllite-escape-$tok" "/etc/skilllite-escape-$tok" "/skilllite-escape-$tok"; do
  if { echo x > "$p"; } 2>/dev/null; then done_+=("$p"); else notes+=("$p: refused"); fi
done
[[ ${#done_[@]} -gt 0 ]] && emit escaped "wrote ${done_[*]}"
emit denied "${notes[*]}"
