#!/bin/sh
# STYLE.md §6: these functions have no bounds or no thread safety; none may appear in our C.
# Comments and string literals are ignored (the scanner's rules name these functions as data).
#   sh tools/check-banned.sh [DIR...]   (default: src)
set -eu
[ $# -gt 0 ] || set -- src
exec /usr/bin/python3 "$(dirname "$0")/check_banned.py" "$@"
