#!/bin/sh
# word-freq: top-N words of the "text" field, as JSON.
# The JSON handling is deliberately small: "text" is decoded by awk (basic escapes only).
set -eu
LC_ALL=C
export LC_ALL

input=$(cat)

top=$(printf '%s' "$input" | sed -n 's/.*"top"[[:space:]]*:[[:space:]]*\([0-9][0-9]*\).*/\1/p')
top=${top:-10}
[ "$top" -gt 1000 ] && top=1000

text=$(printf '%s' "$input" | awk '
	{ buf = buf $0 "\n" }
	END {
		i = index(buf, "\"text\"")
		if (!i) exit 1
		s = substr(buf, i + 6)
		sub(/^[[:space:]]*:[[:space:]]*"/, "", s)
		out = ""
		for (j = 1; j <= length(s); j++) {
			c = substr(s, j, 1)
			if (c == "\\") { j++; c = substr(s, j, 1); if (c == "n" || c == "t") c = " "; out = out c; continue }
			if (c == "\"") break
			out = out c
		}
		print out
	}') || { printf '{"error":"text is required"}\n'; exit 0; }

printf '%s\n' "$text" |
	tr -cs "[:alpha:]'" '\n' |
	tr '[:upper:]' '[:lower:]' |
	sed "s/^'*//; s/'*\$//" |
	sed '/^$/d' |
	sort | uniq -c | sort -k1,1nr -k2,2 | head -n "$top" |
	awk 'BEGIN { printf "{\"words\":[" }
		{ printf "%s{\"word\":\"%s\",\"count\":%d}", sep, $2, $1; sep = "," }
		END { print "]}" }'
