"""Text operations for the text-processor skill. Pure functions over str; no I/O except the
stopword list, read once from assets/ relative to this file (never from the cwd)."""
import collections
import pathlib
import re
import unicodedata

STOPWORDS_FILE = pathlib.Path(__file__).resolve().parent.parent / "assets" / "stopwords.txt"

# Letters/digits, with apostrophes or hyphens allowed between them: "don't", "well-known".
WORD_RE = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
SENTENCE_END_RE = re.compile(r"[.!?\u3002\uff01\uff1f]+(?=\s|$)")

_stopwords = None


def stopwords():
    """The stopword set from assets/stopwords.txt (one word a line, '#' comments)."""
    global _stopwords
    if _stopwords is None:
        words = set()
        for line in STOPWORDS_FILE.read_text(encoding="utf-8").splitlines():
            line = line.strip().lower()
            if line and not line.startswith("#"):
                words.add(line)
        _stopwords = frozenset(words)
    return _stopwords


def words(text):
    """Words in order of appearance, lowercased, curly apostrophes folded to straight ones."""
    return [w.lower().replace("\u2019", "'") for w in WORD_RE.findall(text)]


def count(text):
    ws = words(text)
    return {
        "words": len(ws),
        "characters": len(text),
        "characters_no_spaces": sum(1 for c in text if not c.isspace()),
        "lines": len(text.splitlines()),
        "sentences": len(SENTENCE_END_RE.findall(text)) or (1 if ws else 0),
        "unique_words": len(set(ws)),
    }


def top_words(text, limit=10, include_stopwords=False):
    """Most frequent words, ties broken by first appearance."""
    skip = frozenset() if include_stopwords else stopwords()
    counts = collections.Counter(w for w in words(text) if w not in skip)
    # Counter.most_common keeps insertion order among equal counts.
    return [{"word": w, "count": n} for w, n in counts.most_common(limit)]


def slugify(text, max_length=None):
    """ASCII slug: accents dropped, anything else non-alphanumeric becomes a single hyphen."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if max_length is not None and len(slug) > max_length:
        slug = slug[:max_length].rstrip("-")
    return slug


def reverse(text):
    """Reverse by character, keeping combining marks (accents) after their base character."""
    clusters = []
    for ch in text:
        if clusters and unicodedata.combining(ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return "".join(reversed(clusters))


def title(text):
    """Capitalise each word; unlike str.title, "don't" stays "Don't"."""
    return WORD_RE.sub(lambda m: m.group(0)[:1].upper() + m.group(0)[1:].lower(), text)


CASES = {"upper": str.upper, "lower": str.lower, "title": title}
