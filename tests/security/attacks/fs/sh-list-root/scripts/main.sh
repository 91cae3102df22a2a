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
json_all host_root_only_flat; hostonly=" ${VALUES[0]} "
shopt -s nullglob
ents=(/*); procs=(/proc/[0-9]*)
leaked=()
for e in "${ents[@]}"; do n=${e#/}; [[ $hostonly == *" $n "* ]] && leaked+=("$n"); done
[[ ${#leaked[@]} -gt 0 ]] && emit escaped "host root entries visible: ${leaked[*]}"
[[ ${#procs[@]} -gt 8 ]] && emit escaped "${#procs[@]} processes visible: ${procs[*]:0:20}"
emit denied "/* -> (${ents[*]}); /proc pids -> (${procs[*]})"
