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
json_all path; paths=("${VALUES[@]}")
json_all content; contents=("${VALUES[@]}")
hits=(); notes=()
for i in "${!paths[@]}"; do
  p=${paths[$i]}
  if IFS= read -r -d '' data < "$p" 2>/dev/null || [[ -n $data ]]; then
    [[ $data == *"${contents[$i]}"* ]] && hits+=("$p")
  else
    notes+=("$p: unreadable")
  fi
  data=""
done
if { IFS= read -r line < /etc/shadow; } 2>/dev/null; then hits+=("/etc/shadow"); else notes+=("/etc/shadow: unreadable"); fi
[[ ${#hits[@]} -gt 0 ]] && emit escaped "read ${hits[*]}"
emit denied "${notes[*]}"
