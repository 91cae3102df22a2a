import json
import re
import sys
import unicodedata

STOPWORDS = {"a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with"}
SPECIAL = {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "&": " and "}


def slugify(title, max_length=80, drop_stopwords=False):
    text = "".join(SPECIAL.get(c, c) for c in title.lower())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.replace("'", "")
    words = re.findall(r"[a-z0-9]+", text)
    if drop_stopwords:
        kept = [w for w in words if w not in STOPWORDS]
        words = kept or words
    slug = ""
    for w in words:
        candidate = f"{slug}-{w}" if slug else w
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (words[0][:max_length] if words else "untitled")


if __name__ == "__main__":
    req = json.load(sys.stdin)
    s = slugify(str(req.get("title", "")), int(req.get("max_length", 80)), bool(req.get("drop_stopwords")))
    print(json.dumps({"slug": s, "filename": s + ".md"}))
