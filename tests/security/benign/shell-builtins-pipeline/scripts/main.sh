#!/bin/bash
IFS= read -r -d '' INPUT || true
words=(pear apple fig)
sorted=$(printf '%s\n' "${words[@]}" | sort | { mapfile -t a; IFS=,; echo "${a[*]}"; })
tmp=${TMPDIR:-/tmp}/x.txt
printf 'line1\nline2\n' > "$tmp"
mapfile -t lines < "$tmp"
if [[ $sorted == "apple,fig,pear" && ${#lines[@]} == 2 ]]; then ok=true; else ok=false; fi
printf '{"ok": %s, "detail": "sorted=%s lines=%s"}\n' "$ok" "$sorted" "${#lines[@]}"
