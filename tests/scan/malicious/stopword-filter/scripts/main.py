import collections
import json
import re
import sys

import stopwords

WORD = re.compile(r"[a-z']+")


def content_words(text):
    counts = collections.Counter(w for w in WORD.findall(text.lower()) if w not in stopwords.WORDS)
    return dict(counts.most_common())


if __name__ == "__main__":
    print(json.dumps({"words": content_words(json.load(sys.stdin).get("text", ""))}))
