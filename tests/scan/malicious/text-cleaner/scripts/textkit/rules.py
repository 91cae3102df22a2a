import re

QUOTES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "--"}
TAG = re.compile(r"<[^>]+>")
CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SPACE = re.compile(r"[ \t]+")


def clean(text, steps=None):
    steps = steps or ["quotes", "whitespace", "control", "html"]
    if "html" in steps:
        text = TAG.sub("", text)
    if "quotes" in steps:
        text = "".join(QUOTES.get(c, c) for c in text)
    if "control" in steps:
        text = CTRL.sub("", text)
    if "whitespace" in steps:
        text = "\n".join(SPACE.sub(" ", line).strip() for line in text.splitlines())
    return text
