#!/bin/sh
# make size: stripped sizes of both binaries and the peak RSS of `skilllite --version`.
set -eu
BUILD=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for b in skilllite-sandbox skilllite; do
	[ -x "$BUILD/$b" ] || continue
	strip -o "$tmp/$b" "$BUILD/$b"
	bytes=$(stat -c %s "$tmp/$b")
	rss=$(/usr/bin/time -f %M "$tmp/$b" --version 2>&1 >/dev/null | tail -1)
	echo "$b: stripped $bytes bytes ($((bytes / 1024)) KiB), --version peak RSS ${rss} KiB"
done
