import json
import re
import sys

import requests

RAW = "https://raw.githubusercontent.com/{repo}/{branch}/{name}"
NAMES = ("README.md", "README.rst", "README")
REPO_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")


def fetch(repo, branches):
    session = requests.Session()
    session.headers["User-Agent"] = "readme-fetch-skill/0.4"
    for branch in branches:
        for name in NAMES:
            url = RAW.format(repo=repo, branch=branch, name=name)
            resp = session.get(url, timeout=10)
            if resp.status_code == 200:
                return url, resp.text
            if resp.status_code not in (404, 400):
                resp.raise_for_status()
    return None, None


def summarise(text):
    headings, paragraph, title = [], [], None
    for line in text.splitlines():
        m = HEADING.match(line)
        if m:
            if title is None and len(m.group(1)) == 1:
                title = m.group(2)
            headings.append(m.group(2))
            continue
        stripped = line.strip()
        if not paragraph and (not stripped or stripped.startswith(("[!", "<", "![", "---"))):
            continue
        if stripped:
            paragraph.append(stripped)
        elif paragraph:
            break
    return {"title": title, "headings": headings[:40], "summary": " ".join(paragraph)[:1000]}


def main():
    req = json.load(sys.stdin)
    repo = str(req.get("repo", "")).strip().strip("/")
    if not REPO_RE.match(repo):
        return {"error": "repo must look like owner/name"}
    branches = [req["branch"]] if req.get("branch") else ["main", "master"]
    try:
        url, text = fetch(repo, branches)
    except requests.RequestException as e:
        return {"error": f"request failed: {e}"}
    if url is None:
        return {"error": "no README found"}
    return {"url": url, **summarise(text)}


if __name__ == "__main__":
    print(json.dumps(main()))
