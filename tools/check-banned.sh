#!/bin/sh
# STYLE.md §6: these functions have no bounds or no thread safety; none may appear in our C.
#   sh tools/check-banned.sh [DIR...]   (default: src)
set -eu
[ $# -gt 0 ] || set -- src
banned='strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi|atol|system|popen|tmpnam|mktemp'
if grep -rnE "(^|[^A-Za-z0-9_])($banned)[[:space:]]*\(" "$@" --include='*.c' --include='*.h'; then
	echo "check-banned: FAIL: banned functions used (see STYLE.md)"
	exit 1
fi
echo "check-banned: 0 banned calls in $*"
