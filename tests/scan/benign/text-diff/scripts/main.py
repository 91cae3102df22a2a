import difflib
import json
import re
import sys

TOKEN = re.compile(r"\s+|[^\s]+")


def unified(a, b, context):
    lines = difflib.unified_diff(a.splitlines(True), b.splitlines(True), "a", "b", n=context)
    return "".join(l if l.endswith("\n") else l + "\n\\ No newline at end of file\n" for l in lines)


def words(a, b):
    ta, tb = TOKEN.findall(a), TOKEN.findall(b)
    out = []
    sm = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out.append("".join(ta[i1:i2]))
            continue
        if op in ("delete", "replace"):
            out.append("[-" + "".join(ta[i1:i2]) + "-]")
        if op in ("insert", "replace"):
            out.append("{+" + "".join(tb[j1:j2]) + "+}")
    return "".join(out)


def main():
    req = json.load(sys.stdin)
    a, b = req.get("a"), req.get("b")
    if not isinstance(a, str) or not isinstance(b, str):
        return {"error": "a and b must be strings"}
    ratio = round(difflib.SequenceMatcher(None, a, b).ratio(), 4)
    if req.get("mode") == "words":
        return {"diff": words(a, b), "ratio": ratio}
    context = max(0, min(int(req.get("context", 3)), 50))
    return {"diff": unified(a, b, context), "ratio": ratio, "identical": a == b}


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False))
