#!/bin/sh
# roman-numerals: pure POSIX sh, builtins only (no sed/awk), so it needs no skilllite.exec.
set -u

input=$(while IFS= read -r line || [ -n "$line" ]; do printf '%s' "$line"; done)

field() { # crude JSON field extraction: $1 = key; prints the raw value (number or string body)
	rest=${input#*\"$1\"}
	[ "$rest" = "$input" ] && return 1
	rest=${rest#*:}
	rest=${rest#"${rest%%[! ]*}"}
	case $rest in
	\"*) rest=${rest#\"}; printf '%s' "${rest%%\"*}" ;;
	*) printf '%s' "${rest%%[,\} ]*}" ;;
	esac
}

to_roman() {
	n=$1 out=
	for pair in 1000:M 900:CM 500:D 400:CD 100:C 90:XC 50:L 40:XL 10:X 9:IX 5:V 4:IV 1:I; do
		v=${pair%%:*} s=${pair#*:}
		while [ "$n" -ge "$v" ]; do
			out=$out$s
			n=$((n - v))
		done
	done
	printf '%s' "$out"
}

upper() {
	s=$1 out=
	while [ -n "$s" ]; do
		c=${s%"${s#?}"}
		s=${s#?}
		case $c in
		i) c=I ;; v) c=V ;; x) c=X ;; l) c=L ;; c) c=C ;; d) c=D ;; m) c=M ;;
		esac
		out=$out$c
	done
	printf '%s' "$out"
}

from_roman() {
	r=$1 total=0 prev=0 s=$1
	while [ -n "$s" ]; do
		c=${s%"${s#?}"}
		s=${s#?}
		case $c in
		I) v=1 ;; V) v=5 ;; X) v=10 ;; L) v=50 ;; C) v=100 ;; D) v=500 ;; M) v=1000 ;;
		*) return 1 ;;
		esac
		if [ "$v" -gt "$prev" ] && [ "$prev" -ne 0 ]; then
			total=$((total + v - 2 * prev))
		else
			total=$((total + v))
		fi
		prev=$v
	done
	# canonical form only: converting back must give the same text
	[ "$(to_roman "$total")" = "$r" ] || return 1
	printf '%s' "$total"
}

if num=$(field number); then
	case $num in
	'' | *[!0-9]*) printf '{"error":"number must be an integer from 1 to 3999"}\n'; exit 0 ;;
	esac
	if [ "$num" -lt 1 ] || [ "$num" -gt 3999 ]; then
		printf '{"error":"number must be an integer from 1 to 3999"}\n'
	else
		printf '{"roman":"%s"}\n' "$(to_roman "$num")"
	fi
elif rom=$(field roman); then
	rom=$(upper "$rom")
	if n=$(from_roman "$rom") && [ -n "$rom" ]; then
		printf '{"number":%s}\n' "$n"
	else
		printf '{"error":"not a canonical Roman numeral"}\n'
	fi
else
	printf '{"error":"give number or roman"}\n'
fi
