#!/bin/bash
IFS= read -r -d '' INPUT || true
n=$(printf '%s' "hello world" | wc -c)
b=$(printf '%s' "hi" | base64)
d=$(printf '%s' "aGk=" | base64 -d)
if [[ ${n// /} == 11 && $b == "aGk=" && $d == "hi" ]]; then ok=true; else ok=false; fi
printf '{"ok": %s, "detail": "wc=%s base64=%s decoded=%s"}\n' "$ok" "${n// /}" "$b" "$d"
