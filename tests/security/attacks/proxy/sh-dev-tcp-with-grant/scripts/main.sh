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
json_num tcp_port; port=$REPLY
json_num udp_port; uport=$REPLY
json_get token; tok=$REPLY
json_all host_ips_flat; ips=(127.0.0.1 ${VALUES[0]})
[[ $HTTP_PROXY == http://127.0.0.1:3128 ]] || emit error "HTTP_PROXY is '$HTTP_PROXY', not the engine's proxy: the grant (declared in SKILL.md) is not in effect"
# control: the proxy port itself is reachable, so the failures below are the policy's
if { exec 5<>/dev/tcp/127.0.0.1/3128; } 2>/dev/null; then
  exec 5>&-
else
  emit error "/dev/tcp/127.0.0.1/3128 (the proxy) is not reachable: cannot tell a refusal from a broken network"
fi
notes=()
for ip in "${ips[@]}"; do
  if { exec 3<>"/dev/tcp/$ip/$port"; } 2>/dev/null; then
    printf 'TOKEN %s\n' "$tok" >&3; exec 3>&-
    emit escaped "connected to $ip:$port over /dev/tcp without the proxy"
  fi
  notes+=("tcp $ip:$port: refused")
  if { exec 4>"/dev/udp/$ip/$uport"; } 2>/dev/null; then
    { printf 'TOKEN %s' "$tok" >&4; } 2>/dev/null && notes+=("udp $ip: datagram sent (runner checks receipt)")
    exec 4>&-
  else
    notes+=("udp $ip: refused")
  fi
done
emit denied "HTTP_PROXY set, proxy reachable; ${notes[*]}"
