#!/bin/sh
# Install the Debian packages given as arguments, only those missing (idempotent).
# $SUDO is empty when running as root.
set -eu
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
else
	echo "deps: all Debian packages present"
fi
# npm packages used by the tests come from the committed lockfile.
if [ -f package-lock.json ] && [ ! -d node_modules ]; then
	npm ci --no-audit --no-fund
fi
