"""Readability statistics (Flesch reading ease, Flesch-Kincaid grade)."""
import json
import re
import sys

sys.dont_write_bytecode = True

from syllables import count_syllables  # noqa: E402

SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
WORD = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*")


def stats(text):
    words = WORD.findall(text)
    sentences = max(1, len(SENTENCE_END.findall(text))) if words else 0
    syllables = sum(count_syllables(w) for w in words)
    if not words:
        return {"sentences": 0, "words": 0, "syllables": 0}
    wps = len(words) / sentences
    spw = syllables / len(words)
    longest = sorted(set(w.lower() for w in words), key=lambda w: (-len(w), w))[:5]
    return {
        "sentences": sentences,
        "words": len(words),
        "syllables": syllables,
        "avg_words_per_sentence": round(wps, 2),
        "flesch_reading_ease": round(206.835 - 1.015 * wps - 84.6 * spw, 1),
        "flesch_kincaid_grade": round(0.39 * wps + 11.8 * spw - 15.59, 1),
        "longest_words": longest,
    }


if __name__ == "__main__":
    try:
        request = json.load(sys.stdin)
    except json.JSONDecodeError as e:
        print(json.dumps({"error": "input is not JSON: %s" % e}))
        sys.exit(0)
    text = request.get("text") if isinstance(request, dict) else None
    if not isinstance(text, str):
        print(json.dumps({"error": "text must be a string"}))
    else:
        print(json.dumps(stats(text)))
