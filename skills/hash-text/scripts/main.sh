#!/bin/sh
# hash-text skill: reads {"operation", "text"} as JSON on stdin and prints one JSON object.
# POSIX sh + awk + coreutils only (declared in SKILL.md as skilllite.exec). JSON parsing,
# escaping and counting live in json.awk; hashing and base64 are done by coreutils on the exact
# UTF-8 bytes of "text". Logical errors are printed as {"error": "..."} with exit status 0.
set -u
LC_ALL=C # byte semantics everywhere: awk and coreutils see bytes, not locale characters
export LC_ALL

here=${0%/*}
[ "$here" = "$0" ] && here=.
awk_json() {
	awk -v mode="$1" -v field="${2-}" -f "$here/json.awk"
}

OPERATIONS="sha256, sha1, md5, base64_encode, base64_decode, count"
MAX_INPUT_BYTES=8388608

# Messages are fixed ASCII text written here (user text is never echoed back in them).
error() {
	printf '{"error":"%s"}\n' "$1"
	exit 0
}

result() { # $1 operation, $2 the result as JSON text
	printf '{"operation":"%s","result":%s}\n' "$1" "$2"
	exit 0
}

text_bytes() {
	printf '%s' "$input" | awk_json extract text
}

digest() { # $1 the coreutils *sum command
	sum=$(text_bytes | "$1") || exit 1
	printf '%s' "${sum%% *}"
}

# NUL bytes cannot live in a shell variable: turn them into \001, which is refused below.
input=$(tr '\000' '\001') || exit 1
[ "${#input}" -le "$MAX_INPUT_BYTES" ] || error "input is larger than $MAX_INPUT_BYTES bytes"

# Raw control characters are never valid JSON. json.awk reads the request as one record
# separated by \001, so it cannot see that byte itself.
soh=$(printf '\001')
case $input in
*"$soh"*) error "input is not JSON: it contains a raw control character (U+0000 or U+0001)" ;;
esac

description=$(printf '%s' "$input" | awk_json describe) || exit 1
case $description in
"E "*) error "${description#E }" ;;
"OK "*) ;;
*) echo "hash-text: unexpected reply from json.awk: $description" >&2; exit 1 ;;
esac
set -f # the fields below are plain words, but never glob them
# shellcheck disable=SC2086
set -- $description
text_type=$2 op_type=$3 op=$4
set +f

case $op_type in
missing) error "operation is required (one of: $OPERATIONS)" ;;
other) error "operation must be a string (one of: $OPERATIONS)" ;;
esac
case $op in
sha256 | sha1 | md5 | base64_encode | base64_decode | count) ;;
*) error "unknown operation (one of: $OPERATIONS)" ;;
esac
case $text_type in
missing) error "text is required" ;;
other) error "text must be a string" ;;
esac

case $op in
sha256 | sha1 | md5)
	hex=$(digest "${op}sum") || exit 1
	result "$op" "\"$hex\""
	;;
base64_encode)
	encoded=$(text_bytes | base64 -w 0) || exit 1
	result "$op" "\"$encoded\""
	;;
base64_decode)
	# Check the alphabet and padding first, so base64 -d below cannot fail half-way.
	clean=$(text_bytes | awk_json base64) || error "text is not valid base64 (A-Z a-z 0-9 + / with = padding)"
	# The sentinel x keeps trailing newlines of the decoded bytes; awk drops it.
	decoded=$({ printf '%s' "$clean" | base64 -d && printf x; } | awk_json escape)
	case $? in
	0) result "$op" "$decoded" ;;
	1) error "the decoded bytes are not UTF-8 text" ;;
	*) exit 1 ;;
	esac
	;;
count)
	# The sentinel x keeps a trailing newline countable; awk drops it.
	counts=$({ text_bytes && printf x; } | awk_json count) || exit 1
	# shellcheck disable=SC2086
	set -- $counts
	[ $# -eq 4 ] || exit 1
	bytes=$1 characters=$2 lines=$3 words=$4
	result "$op" "{\"bytes\":$bytes,\"characters\":$characters,\"lines\":$lines,\"words\":$words}"
	;;
esac
