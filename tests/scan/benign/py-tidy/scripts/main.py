"""py-tidy: conservative whitespace and import-order fixes for Python code.

Safety note for reviewers: the input is treated as text and parsed with ast.parse() only. Nothing
here calls exec(), eval() or compile(..., "exec") on it, and nothing imports it.
"""
import ast
import json
import re
import sys

IMPORT_LINE = re.compile(r"^(import|from)\s+[\w.]+")


def strip_trailing(lines, changes):
    out = [l.rstrip() for l in lines]
    n = sum(1 for a, b in zip(lines, out) if a != b)
    if n:
        changes.append(f"trailing whitespace on {n} line{'s' * (n != 1)}")
    return out


def expand_tabs(lines, changes):
    out = []
    n = 0
    for l in lines:
        lead = len(l) - len(l.lstrip("\t "))
        if "\t" in l[:lead]:
            n += 1
            l = l[:lead].expandtabs(4) + l[lead:]
        out.append(l)
    if n:
        changes.append(f"tabs in indentation on {n} line{'s' * (n != 1)}")
    return out


def collapse_blank(lines, changes):
    out, blank, removed = [], 0, 0
    for l in lines:
        blank = blank + 1 if not l else 0
        if blank > 2:
            removed += 1
            continue
        out.append(l)
    while out and not out[-1]:
        out.pop()
    if removed:
        changes.append(f"removed {removed} extra blank line{'s' * (removed != 1)}")
    return out


def sort_top_imports(lines, changes):
    start = 0
    # skip a module docstring / comments / shebang
    while start < len(lines) and (not lines[start] or lines[start].startswith("#")):
        start += 1
    end = start
    while end < len(lines) and IMPORT_LINE.match(lines[end]):
        end += 1
    block = lines[start:end]
    key = lambda l: (l.startswith("from"), l.split()[1].lower(), l)
    if block != sorted(block, key=key):
        changes.append("sorted the top import block")
        lines = lines[:start] + sorted(block, key=key) + lines[end:]
    return lines


def tidy(code, sort_imports=True):
    changes = []
    lines = code.replace("\r\n", "\n").split("\n")
    lines = strip_trailing(lines, changes)
    lines = expand_tabs(lines, changes)
    lines = collapse_blank(lines, changes)
    if sort_imports:
        lines = sort_top_imports(lines, changes)
    result = "\n".join(lines) + "\n"
    try:
        ast.parse(result)
        valid = True
    except SyntaxError:
        valid = False
    return {"code": result, "changes": changes, "valid": valid}


if __name__ == "__main__":
    req = json.load(sys.stdin)
    if not isinstance(req.get("code"), str):
        print(json.dumps({"error": "code (a string) is required"}))
    else:
        print(json.dumps(tidy(req["code"], bool(req.get("sort_imports", True)))))
