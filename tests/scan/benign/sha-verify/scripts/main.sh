#!/bin/sh
set -eu
input=$(cat)

field() {
	printf '%s' "$input" | sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p"
}

algorithm=$(field algorithm)
algorithm=${algorithm:-sha256}
expected=$(field expected | tr 'A-F' 'a-f')

case $algorithm in
sha256) tool=sha256sum ;;
sha1) tool=sha1sum ;;
md5) tool=md5sum ;;
*) printf '{"error":"algorithm must be sha256, sha1 or md5"}\n'; exit 0 ;;
esac

# JSON escapes \n, \t and \\ in "text" are decoded by printf %b before hashing
raw=$(field text)
digest=$(printf '%b' "$raw" | "$tool" | cut -d' ' -f1)

if [ -n "$expected" ]; then
	if [ "$digest" = "$expected" ]; then match=true; else match=false; fi
	printf '{"algorithm":"%s","digest":"%s","match":%s}\n' "$algorithm" "$digest" "$match"
else
	printf '{"algorithm":"%s","digest":"%s"}\n' "$algorithm" "$digest"
fi
