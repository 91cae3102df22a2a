"""shell-lint: flag risky constructs in a shell script given as text.

The rules below *describe* dangerous commands (rm -rf /, curl | sh, eval ...) so that users can
avoid them; this program only matches text and never runs the script it is given.
"""
import json
import re
import sys

RULES = [
    ("SL001", "high", re.compile(r"\b(curl|wget)\b[^|#]*\|\s*(sudo\s+)?(ba|z|da)?sh\b"),
     "downloads code and pipes it straight into a shell",
     "download to a file, verify its checksum or signature, read it, then run it"),
    ("SL002", "high", re.compile(r"\brm\s+-[a-zA-Z]*[rR][a-zA-Z]*\s+(\"?\$\{?\w+\}?\"?/?|/\s*$|/\*)"),
     "recursive delete of a variable path or of / (an empty variable means rm -rf /)",
     'use "${VAR:?}" so an empty variable aborts, and never target / or ~'),
    ("SL003", "medium", re.compile(r"(^|[;&|]\s*)eval\s"),
     "eval re-parses its arguments as shell code",
     "use arrays or case statements instead of eval"),
    ("SL004", "medium", re.compile(r"\bchmod\s+(-R\s+)?0?777\b"),
     "makes files writable by every user", "use 755 for directories and 644 for files"),
    ("SL007", "medium", re.compile(r"(^|[;&|]\s*)sudo\s"),
     "the script escalates privileges by itself", "let the caller decide to run it as root"),
    ("SL006", "low", re.compile(r"\[\s+\$\w+\s|\s(cd|rm|cp|mv)\s+\$\w+(\s|$)"),
     "unquoted variable expansion (word splitting, globbing)", 'quote it: "$var"'),
]
STRICT = re.compile(r"^\s*set\s+-[a-z]*e")


def strip_comment(line):
    out, quote = [], None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t;"):
            break
        out.append(ch)
    return "".join(out)


def lint(script):
    findings = []
    lines = script.splitlines()
    for n, raw in enumerate(lines, 1):
        if n == 1 and raw.startswith("#!"):
            continue
        code = strip_comment(raw)
        for rule, sev, rx, msg, fix in RULES:
            if rx.search(code):
                findings.append({"line": n, "rule": rule, "severity": sev, "message": msg,
                                 "fix": fix, "code": raw.strip()[:200]})
    if lines and not any(STRICT.match(l) for l in lines):
        findings.append({"line": 1, "rule": "SL005", "severity": "low",
                         "message": "the script does not stop on errors",
                         "fix": "add `set -eu` near the top"})
    return findings


if __name__ == "__main__":
    req = json.load(sys.stdin)
    script = req.get("script")
    if not isinstance(script, str):
        print(json.dumps({"error": "script (a string) is required"}))
    else:
        print(json.dumps({"findings": lint(script)}))
