#!/usr/bin/env python3
"""Summarise `git log` output. Runs only the declared executable, git, with a fixed argv."""
import collections
import json
import re
import subprocess
import sys
from datetime import datetime

CONVENTIONAL = re.compile(r"^(feat|fix|docs|style|refactor|perf|test|build|ci|chore|revert)(\(.+?\))?!?:")
SEP = "\x1f"
RECORD = "\x1e"


def git_log(repo, since, max_commits):
    fmt = RECORD + SEP.join(["%H", "%an", "%ad", "%s"])
    cmd = ["git", "-C", repo, "log", f"--max-count={max_commits}", "--date=iso-strict",
           f"--pretty=format:{fmt}", "--name-only", "--no-merges"]
    if since:
        cmd.append(f"--since={since}")
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip() or "git log failed")
    return proc.stdout


def parse(raw):
    for chunk in raw.split(RECORD):
        if not chunk.strip():
            continue
        head, _, files = chunk.partition("\n")
        sha, author, when, subject = head.split(SEP, 3)
        yield {
            "sha": sha,
            "author": author,
            "date": datetime.fromisoformat(when),
            "subject": subject,
            "files": [f for f in files.splitlines() if f.strip()],
        }


def summarise(commits):
    authors = collections.Counter(c["author"] for c in commits)
    files = collections.Counter(f for c in commits for f in c["files"])
    weekdays = collections.Counter(c["date"].strftime("%A") for c in commits)
    types = collections.Counter()
    for c in commits:
        m = CONVENTIONAL.match(c["subject"])
        types[m.group(1) if m else "other"] += 1
    return {
        "commits": len(commits),
        "authors": [{"name": a, "commits": n} for a, n in authors.most_common()],
        "types": dict(types),
        "top_files": [{"path": p, "changes": n} for p, n in files.most_common(10)],
        "busiest_weekday": weekdays.most_common(1)[0][0] if weekdays else None,
    }


def main():
    req = json.load(sys.stdin)
    repo = req.get("repo") or "."
    try:
        max_commits = max(1, min(int(req.get("max_commits", 500)), 10000))
        commits = list(parse(git_log(repo, req.get("since"), max_commits)))
    except (RuntimeError, subprocess.TimeoutExpired, ValueError) as e:
        return {"error": str(e)}
    except FileNotFoundError:
        return {"error": "git is not installed"}
    return summarise(commits)


if __name__ == "__main__":
    print(json.dumps(main()))
