#!/bin/sh
# b64-tool: encoding only - decoded data is printed as JSON text, never executed.
set -u
input=$(cat)

get() { printf '%s' "$input" | sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p"; }
fail() { printf '{"error":"%s"}\n' "$1"; exit 0; }
json_string() { # escape for JSON: backslash, quote, newline, tab
	printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/	/\\t/g' | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n/\\n/g'
}

op=$(get operation)
text=$(get text)
[ -n "$op" ] || fail "operation is required"

case $op in
encode) out=$(printf '%s' "$text" | base64 -w 0) ;;
decode) out=$(printf '%s' "$text" | base64 -d 2>/dev/null) || fail "text is not valid base64" ;;
encode_url) out=$(printf '%s' "$text" | base64 -w 0 | tr '+/' '-_' | tr -d '=') ;;
decode_url)
	t=$(printf '%s' "$text" | tr -- '-_' '+/')
	case $((${#t} % 4)) in 2) t="$t==" ;; 3) t="$t=" ;; esac
	out=$(printf '%s' "$t" | base64 -d 2>/dev/null) || fail "text is not valid URL-safe base64"
	;;
base32_encode) out=$(printf '%s' "$text" | base32 -w 0) ;;
base32_decode) out=$(printf '%s' "$text" | base32 -d 2>/dev/null) || fail "text is not valid base32" ;;
*) fail "unknown operation" ;;
esac
printf '{"operation":"%s","result":"%s"}\n' "$op" "$(json_string "$out")"
