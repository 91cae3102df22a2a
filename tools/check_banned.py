"""STYLE.md §6: banned C functions. Calls are looked for in code only: comments, string and
character literals are blanked first, so a scanner rule that *mentions* system( is not a call.
    /usr/bin/python3 tools/check_banned.py DIR..."""
import os
import re
import sys

BANNED = re.compile(r"(?<![A-Za-z0-9_])(strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi|atol|system"
                    r"|popen|tmpnam|mktemp)\s*\(")


def code_only(text):
    """The text with comments and literals replaced by spaces (line breaks kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join(ch if ch == "\n" else " " for ch in text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + " " * (j - i - 2) + c if j - i >= 2 else c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def main(dirs):
    bad = 0
    for top in dirs:
        for root, _, files in os.walk(top):
            for name in sorted(files):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(root, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                raw_lines = text.split("\n")
                for no, line in enumerate(code_only(text).split("\n"), 1):
                    if BANNED.search(line):
                        print(f"{path}:{no}:{raw_lines[no - 1].strip()}")
                        bad += 1
    if bad:
        print("check-banned: FAIL: banned functions used (see STYLE.md)")
        return 1
    print(f"check-banned: 0 banned calls in {' '.join(dirs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["src"]))
