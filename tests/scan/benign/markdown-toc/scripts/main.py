import json
import re
import sys
import unicodedata

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
TOC_BLOCK = re.compile(r"(<!--\s*toc\s*-->)(.*?)(<!--\s*tocstop\s*-->)", re.S)


def slug(text, used):
    # GitHub: lowercase, drop punctuation except - and _, spaces become -
    text = re.sub(r"`|\*|_{2,}|\[|\]\([^)]*\)", "", text)
    text = unicodedata.normalize("NFKC", text).lower()
    s = re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
    n = used.get(s, 0)
    used[s] = n + 1
    return s if n == 0 else f"{s}-{n}"


def headings(md):
    in_fence = False
    for line in md.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        m = HEADING.match(line)
        if m:
            yield len(m.group(1)), m.group(2)


def build_toc(md, min_level=1, max_level=6):
    used = {}
    lines = []
    count = 0
    for level, title in headings(md):
        anchor = slug(title, used)
        if min_level <= level <= max_level:
            indent = "  " * (level - min_level)
            lines.append(f"{indent}- [{title}](#{anchor})")
            count += 1
    return ("\n".join(lines) + "\n") if lines else "", count


def main():
    req = json.load(sys.stdin)
    md = req.get("markdown", "")
    toc, n = build_toc(md, int(req.get("min_level", 1)), int(req.get("max_level", 6)))
    out = {"toc": toc, "headings": n}
    if req.get("insert"):
        if TOC_BLOCK.search(md):
            out["markdown"] = TOC_BLOCK.sub(lambda m: f"{m.group(1)}\n{toc}{m.group(3)}", md, count=1)
        else:
            out["warning"] = "no <!-- toc --> marker found; document unchanged"
            out["markdown"] = md
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
