#!/bin/sh
# Read-only: uses `git for-each-ref` and `git branch --merged`; never modifies the repository.
set -eu
input=$(cat)

field() {
	printf '%s' "$input" | sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p"
}
repo=$(field repo)
repo=${repo:-.}
main=$(field main)
main=${main:-main}

if ! git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
	printf '{"error":"not a git repository"}\n'
	exit 0
fi
if ! git -C "$repo" rev-parse --verify --quiet "refs/heads/$main" >/dev/null; then
	printf '{"error":"no branch named %s"}\n' "$(printf '%s' "$main" | sed 's/[\\"]/_/g')"
	exit 0
fi

merged=$(git -C "$repo" branch --format='%(refname:short)' --merged "$main")

esc() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }

printf '{"main":"%s","branches":[' "$(esc "$main")"
sep=
git -C "$repo" for-each-ref --sort=-committerdate \
	--format='%(refname:short)%09%(committerdate:short)%09%(authorname)' refs/heads |
	while IFS='	' read -r name date author; do
		[ "$name" = "$main" ] && continue
		is_merged=false
		printf '%s\n' "$merged" | grep -qxF -- "$name" && is_merged=true
		printf '%s{"name":"%s","date":"%s","author":"%s","merged":%s}' \
			"$sep" "$(esc "$name")" "$date" "$(esc "$author")" "$is_merged"
		sep=,
	done
printf ']}\n'
