"""A small English syllable estimator.

Counts vowel groups, then corrects for the usual suspects: a silent final "e", "-le" endings,
"-ed" that is not pronounced, and a few diphthongs that the group rule splits wrongly.
"""
import re

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_EXCEPTIONS = {
    "the": 1, "every": 3, "area": 3, "idea": 3, "people": 2, "business": 2, "different": 3,
    "being": 2, "science": 2, "quiet": 2, "poem": 2, "really": 3, "create": 2,
}


def count_syllables(word):
    w = word.lower().strip("'")
    if not w:
        return 0
    if w in _EXCEPTIONS:
        return _EXCEPTIONS[w]
    groups = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1
    if w.endswith("ed") and not w.endswith(("ted", "ded")) and groups > 1:
        groups -= 1
    if re.search(r"[^aeiou]ia", w):
        groups += 1
    return max(1, groups)
