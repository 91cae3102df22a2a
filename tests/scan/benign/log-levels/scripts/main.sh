#!/bin/sh
set -eu
LC_ALL=C
export LC_ALL

# Pull the "log" string out of the JSON and turn \n escapes into real lines.
lines() {
	sed -n 's/.*"log"[[:space:]]*:[[:space:]]*"\(.*\)".*/\1/p' | sed 's/\\n/\
/g; s/\\t/	/g; s/\\"/"/g'
}

tmp=${TMPDIR:-/tmp}/log-levels.$$
trap 'rm -f "$tmp"' EXIT
lines >"$tmp"

levels=$(awk '
	match($0, /(ERROR|WARN|WARNING|INFO|DEBUG|TRACE)/) {
		l = substr($0, RSTART, RLENGTH); if (l == "WARNING") l = "WARN"; n[l]++
	}
	END { for (l in n) printf "%s\"%s\":%d", (s++ ? "," : ""), l, n[l] }' "$tmp")

per_hour=$(awk '
	match($0, /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]/) { h[substr($0, 1, 13)]++ }
	END { for (k in h) printf "%s\"%s\":%d", (s++ ? "," : ""), k, h[k] }' "$tmp")

top_errors=$(grep -E 'ERROR' "$tmp" 2>/dev/null |
	sed -E 's/^[^ ]+ +ERROR +//; s/\b[0-9a-f]*([0-9][a-f]|[a-f][0-9])[0-9a-f]*\b/ID/g; s/[0-9]+/N/g; s/"/\\"/g' |
	sort | uniq -c | sort -rn | head -n 10 |
	awk '{ c = $1; $1 = ""; sub(/^ /, ""); printf "%s{\"count\":%d,\"message\":\"%s\"}", (s++ ? "," : ""), c, $0 }') || top_errors=

printf '{"levels":{%s},"per_hour":{%s},"top_errors":[%s]}\n' "$levels" "$per_hour" "$top_errors"
