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
json_all secrets_flat; secrets=(${VALUES[0]})
json_get host_hostname; hh=$REPLY
hits=()
envdump=$(declare -x)
for s in "${secrets[@]}"; do [[ -n $s && $envdump == *"$s"* ]] && hits+=("env has a canary"); done
[[ -n $hh && $HOSTNAME == "$hh" ]] && hits+=("HOSTNAME=$HOSTNAME")
if { IFS= read -r kh < /proc/sys/kernel/hostname; } 2>/dev/null && [[ $kh == "$hh" ]]; then hits+=("kernel hostname $kh"); fi
[[ ${#hits[@]} -gt 0 ]] && emit escaped "${hits[*]}"
keys=$(compgen -e)
emit denied "HOSTNAME=$HOSTNAME; exported: ${keys//$'\n'/ }"
