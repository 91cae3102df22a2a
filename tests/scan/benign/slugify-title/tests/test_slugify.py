"""Unit tests for scripts/main.py.

These call slugify() directly. An earlier version of this suite shelled out with
os.system("python3 scripts/main.py < case.json") for every case; that was slow and hid failures,
so the tests now import the function instead of spawning processes.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "scripts"))

from main import slugify  # noqa: E402


def test_accents_are_transliterated():
    assert slugify("Crème Brûlée") == "creme-brulee"


def test_special_letters():
    assert slugify("Straße & Smørrebrød") == "strasse-and-smorrebrod"


def test_apostrophes_disappear():
    assert slugify("A Beginner's Guide") == "a-beginners-guide"


def test_stopwords_optional():
    assert slugify("The Art of War", drop_stopwords=True) == "art-war"
    assert slugify("The The", drop_stopwords=True) == "the-the"


def test_max_length_cuts_at_word_boundary():
    assert slugify("one two three four", max_length=9) == "one-two"


def test_empty_title():
    assert slugify("!!!") == "untitled"
