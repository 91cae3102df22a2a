"""The example skills shipped in skills/: each validates cleanly and honours the skill contract
(JSON on stdin, exactly one JSON value on stdout, logical errors as {"error": ...} with exit 0).

No sandbox runs them here: each script is started directly with its interpreter, a clean
environment and cwd = the skill directory, as the contract describes. The skills run from a
copy, and every run checks that the copy was left untouched (the skill directory is read-only
at run time)."""
import base64
import hashlib
import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest

from conftest import SKILLS

INTERPRETERS = {"python": "/usr/bin/python3", "node": "/usr/bin/node", "bash": "/bin/sh"}
MIB = 1 << 20

# What validate must report for each bundled skill.
EXPECTED = {
    "calculator": dict(kind="standard", language="python", entry_point="scripts/main.py",
                       scripts=["scripts/main.py"]),
    "text-processor": dict(kind="standard", language="python", entry_point="scripts/main.py",
                           scripts=["scripts/main.py", "scripts/textops.py"]),
    "json-formatter": dict(kind="standard", language="node", entry_point="scripts/main.js",
                           scripts=["scripts/main.js"]),
    "hash-text": dict(kind="standard", language="bash", entry_point="scripts/main.sh",
                      scripts=["scripts/main.sh"]),
    "writing-guide": dict(kind="prompt-only", language=None, entry_point=None, scripts=[]),
    "unit-converter": dict(kind="multi-script", language="python", entry_point=None,
                           scripts=["scripts/length.py", "scripts/mass.py",
                                    "scripts/temperature.py"]),
}

# Every runnable tool: (skill, script, a request that succeeds).
TOOLS = [
    ("calculator", "scripts/main.py", {"operation": "add", "a": 2, "b": 3}),
    ("text-processor", "scripts/main.py", {"operation": "count", "text": "a b"}),
    ("json-formatter", "scripts/main.js", {"operation": "minify", "json": "[1, 2]"}),
    ("hash-text", "scripts/main.sh", {"operation": "sha256", "text": "a"}),
    ("unit-converter", "scripts/length.py", {"value": 1, "from": "m", "to": "cm"}),
    ("unit-converter", "scripts/mass.py", {"value": 1, "from": "kg", "to": "g"}),
    ("unit-converter", "scripts/temperature.py", {"value": 0, "from": "C", "to": "K"}),
]
TOOL_IDS = [f"{s}:{pathlib.Path(p).stem}" for s, p, _ in TOOLS]


def _snapshot(root):
    return sorted((str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in root.rglob("*"))


@pytest.fixture(scope="module")
def skill_copies(tmp_path_factory):
    """A private copy of skills/, so that a misbehaving skill cannot dirty the repository."""
    dest = tmp_path_factory.mktemp("bundled") / "skills"
    shutil.copytree(SKILLS, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


class SkillRun:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def __repr__(self):
        return f"<exit {self.code}\nstdout: {self.out[:2000]!r}\nstderr: {self.err[:2000]!r}>"

    def json(self):
        """The single JSON value on stdout (strict: no NaN/Infinity, nothing after it)."""
        def no_constants(name):
            raise ValueError(f"non-standard JSON constant {name}")
        return json.loads(self.out.decode("utf-8"), parse_constant=no_constants)


@pytest.fixture(scope="module")
def run_tool(skill_copies):
    """run_tool(skill, script, stdin, interpreter=None, env=None) -> SkillRun.

    stdin may be a dict/list (sent as JSON), str or bytes. Checks that the skill directory was
    not modified."""

    def run(skill, script, stdin, interpreter=None, env=None, timeout=60):
        skill_dir = skill_copies / skill
        if isinstance(stdin, (dict, list)):
            stdin = json.dumps(stdin)
        if isinstance(stdin, str):
            stdin = stdin.encode("utf-8")
        if interpreter is None:
            lang = EXPECTED[skill]["language"]
            interpreter = INTERPRETERS[lang]
        before = _snapshot(skill_dir)
        proc = subprocess.run([interpreter, script], input=stdin, capture_output=True,
                              cwd=skill_dir, env=env or {"PATH": "/usr/bin:/bin"},
                              timeout=timeout)
        assert _snapshot(skill_dir) == before, f"{skill} wrote into its own directory"
        return SkillRun(proc)

    return run


def ok(r):
    """The successful result of a run: exit 0, nothing on stderr, one JSON object, no error."""
    assert r.code == 0, r
    assert r.err == b"", r
    value = r.json()
    assert isinstance(value, dict) and "error" not in value, r
    return value


def logical_error(r):
    """A run that failed logically: exit 0 and {"error": "<non-empty text>"}."""
    assert r.code == 0, r
    value = r.json()
    assert isinstance(value, dict) and isinstance(value.get("error"), str), r
    assert value["error"], r
    return value["error"]


# ---- validation ---------------------------------------------------------------------------------

def test_every_bundled_skill_is_covered():
    present = {p.name for p in SKILLS.iterdir() if (p / "SKILL.md").exists()}
    assert present == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validates_cleanly(name, skilllite):
    r = skilllite("validate", "--json", SKILLS / name)
    assert r.code == 0, r
    out = r.json()
    assert out["valid"] is True
    assert out["errors"] == [] and out["warnings"] == [], out
    skill = out["skill"]
    want = EXPECTED[name]
    assert skill["name"] == name
    assert skill["kind"] == want["kind"]
    assert skill["language"] == want["language"]
    assert skill["entry_point"] == want["entry_point"]
    assert [s["path"] for s in skill["scripts"]] == want["scripts"]
    assert 1 <= len(skill["description"]) <= 1024
    assert skill["license"] == "MIT"
    assert all(isinstance(v, str) for v in skill["metadata"].values())
    assert skill["path"] == str((SKILLS / name).resolve())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validate_text_output_is_clean(name, skilllite):
    r = skilllite("validate", SKILLS / name)
    assert r.code == 0, r
    assert r.out == f"Skill validation passed: {name} ({EXPECTED[name]['kind']})\n"


def test_list_of_bundled_skills(skilllite):
    r = skilllite("list", "--json", "-s", SKILLS)
    assert r.code == 0 and r.err == "", r
    out = r.json()
    assert [s["name"] for s in out["skills"]] == sorted(EXPECTED)
    assert all(s["valid"] and not s["warnings"] for s in out["skills"])
    assert out["duplicates"] == []


def test_hash_text_declares_its_executables(skilllite):
    skill = skilllite("info", "--json", SKILLS / "hash-text").json()
    declared = skill["metadata"]["skilllite.exec"].split(",")
    assert {"awk", "base64", "sha256sum"} <= set(declared)


def test_writing_guide_is_prompt_only():
    d = SKILLS / "writing-guide"
    assert not (d / "scripts").exists()
    assert (d / "references").is_dir()


def test_text_processor_ships_its_assets():
    d = SKILLS / "text-processor"
    assert (d / "assets" / "stopwords.txt").is_file()
    assert (d / "references" / "operations.md").is_file()


# ---- the contract, for every tool ----------------------------------------------------------------

@pytest.mark.parametrize("skill,script,good", TOOLS, ids=TOOL_IDS)
def test_good_request(skill, script, good, run_tool):
    r = run_tool(skill, script, good)
    ok(r)
    assert r.out.endswith(b"\n") and r.out.count(b"\n") == 1, r


@pytest.mark.parametrize("stdin", [
    b"this is not json",
    b"",
    b"{",
    b'{"a": 1} trailing',
    b"\xff\xfe{}",
    b"[]",
    b"42",
    b'"a string"',
    b"null",
    b"{}",
    b'{"operation": 42}',
    b'{"operation": "\\ud800", "text": "\\udc00", "from": "\\ud800"}',
    b'{"operation": "' + b"x" * 100000 + b'"}',
], ids=["text", "empty", "truncated", "trailing", "bad-utf8", "array", "number", "string",
        "null", "empty-object", "wrong-type", "lone-surrogates", "long-operation"])
@pytest.mark.parametrize("skill,script,good", TOOLS, ids=TOOL_IDS)
def test_bad_input_is_a_logical_error(skill, script, good, stdin, run_tool):
    if skill == "calculator" and stdin in (b"", b"{}"):
        pytest.skip("the calculator defaults to add(0, 0) on an empty request")
    r = run_tool(skill, script, stdin)
    logical_error(r)


@pytest.mark.parametrize("skill,script,good", TOOLS, ids=TOOL_IDS)
def test_deep_nesting_is_a_logical_error(skill, script, good, run_tool):
    r = run_tool(skill, script, "[" * 100000 + "]" * 100000)
    logical_error(r)


@pytest.mark.parametrize("skill,script,good", TOOLS, ids=TOOL_IDS)
def test_one_mebibyte_request(skill, script, good, run_tool):
    """An extra 1 MiB field is read and ignored; the request still works."""
    request = dict(good, padding="x" * MIB)
    ok(run_tool(skill, script, request))


@pytest.mark.parametrize("skill,script,good", TOOLS, ids=TOOL_IDS)
def test_runs_without_any_environment(skill, script, good, run_tool):
    ok(run_tool(skill, script, good, env={}))


# ---- calculator ----------------------------------------------------------------------------------

@pytest.mark.parametrize("request_,result", [
    ({"operation": "add", "a": 2, "b": 3}, 5),
    ({"operation": "subtract", "a": 2, "b": 3}, -1),
    ({"operation": "multiply", "a": 2.5, "b": 4}, 10.0),
    ({"operation": "divide", "a": 1, "b": 4}, 0.25),
    ({"operation": "power", "a": 2, "b": 10}, 1024),
])
def test_calculator(request_, result, run_tool):
    assert ok(run_tool("calculator", "scripts/main.py", request_)) == {"result": result}


@pytest.mark.parametrize("request_", [
    {"operation": "divide", "a": 1, "b": 0},
    {"operation": "modulo", "a": 1, "b": 2},
    {"operation": "add", "a": "1", "b": 2},
    {"operation": "add", "a": True, "b": 2},
    {"operation": "power", "a": 2, "b": 100000},
    {"operation": "multiply", "a": 1e308, "b": 10},
    {"operation": "power", "a": 10.0, "b": 1000},
    {"operation": "power", "a": -8, "b": 0.5},
    '{"operation": "add", "a": NaN, "b": 1}',
    '{"operation": "add", "a": Infinity, "b": 1}',
], ids=lambda r: r if isinstance(r, str) else json.dumps(r))
def test_calculator_errors(request_, run_tool):
    logical_error(run_tool("calculator", "scripts/main.py", request_))


# ---- text-processor ------------------------------------------------------------------------------

def text_op(run_tool, operation, text, **extra):
    out = ok(run_tool("text-processor", "scripts/main.py",
                      dict(operation=operation, text=text, **extra)))
    assert out["operation"] == operation
    return out["result"]


def test_text_count(run_tool):
    result = text_op(run_tool, "count", "Hello world. Hello again!\nSecond line")
    assert result == {"words": 6, "characters": 37, "characters_no_spaces": 32, "lines": 2,
                      "sentences": 2, "unique_words": 5}


def test_text_count_empty(run_tool):
    assert text_op(run_tool, "count", "") == {"words": 0, "characters": 0,
                                              "characters_no_spaces": 0, "lines": 0,
                                              "sentences": 0, "unique_words": 0}


def test_text_count_unicode(run_tool):
    result = text_op(run_tool, "count", "naïve café 東京 😀")
    assert result["words"] == 3  # the emoji is not a word
    assert result["characters"] == 15


def test_top_words_skip_stopwords(run_tool):
    text = "The cat and the dog. The cat sat on the mat; the cat won't move."
    assert text_op(run_tool, "top_words", text, limit=3) == [
        {"word": "cat", "count": 3}, {"word": "dog", "count": 1}, {"word": "sat", "count": 1}]


def test_top_words_with_stopwords(run_tool):
    result = text_op(run_tool, "top_words", "the the the cat", include_stopwords=True)
    assert result == [{"word": "the", "count": 3}, {"word": "cat", "count": 1}]


def test_top_words_contractions_and_curly_apostrophes(run_tool):
    result = text_op(run_tool, "top_words", "Don’t don't DON'T stop", include_stopwords=True)
    assert result[0] == {"word": "don't", "count": 3}


def test_top_words_reads_assets_relative_to_the_script(run_tool, skill_copies, tmp_path):
    """The stopword list is found from the script's own location, whatever the cwd."""
    script = skill_copies / "text-processor" / "scripts" / "main.py"
    proc = subprocess.run(["/usr/bin/python3", str(script)], cwd=tmp_path,
                          input=b'{"operation": "top_words", "text": "the cat"}',
                          capture_output=True, env={"PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc
    assert json.loads(proc.stdout)["result"] == [{"word": "cat", "count": 1}]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("operation,text,result", [
    ("upper", "straße naïve", "STRASSE NAÏVE"),
    ("lower", "ÀÉÎ ABC", "àéî abc"),
    ("title", "don't STOP me now", "Don't Stop Me Now"),
    ("slugify", "  Crème Brûlée: the Recipe!  ", "creme-brulee-the-recipe"),
    ("slugify", "東京", ""),
    ("reverse", "abc", "cba"),
    ("reverse", "e\u0301a", "ae\u0301"),
    ("reverse", "東京😀", "😀京東"),
])
def test_text_transforms(operation, text, result, run_tool):
    assert text_op(run_tool, operation, text) == result


@pytest.mark.parametrize("operation", ["upper", "lower", "title", "reverse", "count",
                                       "top_words", "slugify"])
def test_text_lone_surrogates(operation, run_tool):
    """JSON may carry a lone UTF-16 surrogate; the output must still be valid UTF-8 JSON."""
    text_op(run_tool, operation, "a\udc80b \ud83d")


def test_slugify_max_length(run_tool):
    assert text_op(run_tool, "slugify", "one two three", max_length=8) == "one-two"


def test_text_unicode_round_trip(run_tool):
    text = "Grüße, 世界! \U0001F600 e\u0301 \u202e\u0000 tab\there \"quoted\" \\ end\n\ud800"
    once = text_op(run_tool, "reverse", text)
    assert text_op(run_tool, "reverse", once) == text


@pytest.mark.parametrize("request_", [
    {"text": "x"},
    {"operation": "shout", "text": "x"},
    {"operation": "count"},
    {"operation": "count", "text": None},
    {"operation": "count", "text": ["a"]},
    {"operation": "top_words", "text": "a", "limit": 0},
    {"operation": "top_words", "text": "a", "limit": "3"},
    {"operation": "top_words", "text": "a", "limit": True},
    {"operation": "top_words", "text": "a", "include_stopwords": "yes"},
    {"operation": "slugify", "text": "a", "max_length": -1},
], ids=lambda r: json.dumps(r))
def test_text_errors(request_, run_tool):
    logical_error(run_tool("text-processor", "scripts/main.py", request_))


def test_text_one_mebibyte(run_tool):
    line = "Ünïcödé words and more words, 東京.\n"
    text = line * (MIB // len(line.encode()))
    result = text_op(run_tool, "count", text)
    n = text.count("\n")
    assert result["lines"] == n and result["words"] == 6 * n
    top = text_op(run_tool, "top_words", text, limit=2)
    assert top == [{"word": "words", "count": 2 * n}, {"word": "ünïcödé", "count": n}]
    assert text_op(run_tool, "upper", text) == text.upper()


# ---- json-formatter ------------------------------------------------------------------------------

def fmt(run_tool, **request):
    return ok(run_tool("json-formatter", "scripts/main.js", request))


def test_json_format_sorted(run_tool):
    out = fmt(run_tool, operation="format", json='{"b":1,"a":[true,null]}', sort_keys=True)
    assert out["result"] == '{\n  "a": [\n    true,\n    null\n  ],\n  "b": 1\n}'


@pytest.mark.parametrize("indent,expected", [
    (0, '{"a":[1]}'),
    (4, '{\n    "a": [\n        1\n    ]\n}'),
    ("tab", '{\n\t"a": [\n\t\t1\n\t]\n}'),
])
def test_json_format_indent(indent, expected, run_tool):
    assert fmt(run_tool, operation="format", data={"a": [1]}, indent=indent)["result"] == expected


def test_json_minify(run_tool):
    out = fmt(run_tool, operation="minify", json=' { "a" : [ 1 , 2 ] ,\n "b" : "x y" } ')
    assert out["result"] == '{"a":[1,2],"b":"x y"}'


def test_json_sort_keys_is_recursive(run_tool):
    out = fmt(run_tool, operation="minify", data={"z": {"y": 1, "x": 2}, "a": [{"d": 1, "c": 2}]},
              sort_keys=True)
    assert out["result"] == '{"a":[{"c":2,"d":1}],"z":{"x":2,"y":1}}'


def test_json_validate_valid(run_tool):
    out = fmt(run_tool, operation="validate", json='{"a": [[1], {"b": {}}]}')
    assert out == {"operation": "validate", "valid": True, "type": "object", "depth": 4}


@pytest.mark.parametrize("text,line,column", [
    ('{"a": 1,\n "b": [1,]}', 2, 10),
    ("", 1, 1),
    ("[1 2]", 1, 4),
    ('{"a" 1}', 1, 6),
    ("{'a': 1}", 1, 2),
    ('"tab\there"', 1, 5),
    ("[1]\n\nx", 3, 1),
    ("[NaN]", 1, 2),
    ('["é", tru]', 1, 7),
])
def test_json_validate_reports_position(text, line, column, run_tool):
    out = fmt(run_tool, operation="validate", json=text)
    assert out["valid"] is False
    assert (out["line"], out["column"]) == (line, column), out
    assert out["message"]


def test_json_validate_agrees_with_python(run_tool):
    """The skill's own syntax checker accepts exactly what a strict parser accepts."""
    samples = ["0", "-0.5e+3", "01", "1.", ".5", "-", '"\\u12"', '"\\x41"', '"\\ud83d\\ude00"',
               "[1,]", "{}", '{"a":{}}', "true", "True", "null ", " [ ] ", '"\u2028"', "[[]]]"]
    for text in samples:
        out = fmt(run_tool, operation="validate", json=text)
        try:
            json.loads(text, parse_constant=lambda c: 1 / 0)
            expected = True
        except (ValueError, ZeroDivisionError):
            expected = False
        assert out["valid"] is expected, text


def test_json_get(run_tool):
    doc = '{"items": [{"name": "first", "odd key": {"x.y": 7}}], "n": null}'
    get = lambda path: fmt(run_tool, operation="get", json=doc, path=path)  # noqa: E731
    assert get("items[0].name") == {"operation": "get", "path": "items[0].name", "found": True,
                                    "value": "first"}
    assert get('items[0]["odd key"]["x.y"]')["value"] == 7
    assert get("n") == {"operation": "get", "path": "n", "found": True, "value": None}
    assert get("items[1]")["found"] is False
    assert get("items.name")["found"] is False
    assert get("")["value"] == json.loads(doc)


@pytest.mark.parametrize("request_", [
    {"operation": "format"},
    {"operation": "format", "json": "[1]", "data": [1]},
    {"operation": "format", "json": [1]},
    {"operation": "format", "json": "{bad"},
    {"operation": "format", "data": 1, "indent": 9},
    {"operation": "format", "data": 1, "indent": "  "},
    {"operation": "minify", "data": 1, "sort_keys": "yes"},
    {"operation": "validate", "data": [1]},
    {"operation": "get", "data": {}},
    {"operation": "get", "data": {}, "path": "a..b"},
    {"operation": "get", "data": {}, "path": "a[x]"},
    {"operation": "get", "data": {}, "path": '["\\x"]'},
    {"operation": "get", "data": {}, "path": '["a\tb"]'},
    {"operation": "get", "data": {}, "path": "a["},
    {"operation": "prettify", "data": 1},
    {"data": 1},
], ids=lambda r: json.dumps(r))
def test_json_errors(request_, run_tool):
    logical_error(run_tool("json-formatter", "scripts/main.js", request_))


def test_json_nesting_limit(run_tool):
    assert fmt(run_tool, operation="validate", json="[" * 1000 + "]" * 1000)["depth"] == 1000
    deep = fmt(run_tool, operation="validate", json="[" * 1001 + "]" * 1001)
    assert deep["valid"] is False and "deeper" in deep["message"]
    logical_error(run_tool("json-formatter", "scripts/main.js",
                           {"operation": "minify", "json": "[" * 5000 + "]" * 5000}))


def test_json_unicode_round_trip(run_tool):
    data = {"ключ": "значение", "emoji": "😀", "cjk": "東京", "ctl": "\u0000\u001f\n\"\\",
            "lone": "\ud800"}
    out = fmt(run_tool, operation="minify", data=data)
    assert json.loads(out["result"]) == data
    pretty = fmt(run_tool, operation="format", json=out["result"])
    assert json.loads(pretty["result"]) == data


def test_json_one_mebibyte(run_tool):
    doc = [{"id": i, "name": f"élément {i}", "tags": ["a", "b"]} for i in range(20000)]
    text = json.dumps(doc, ensure_ascii=False)
    assert len(text.encode()) > MIB
    out = fmt(run_tool, operation="minify", json=text)
    assert json.loads(out["result"]) == doc
    out = fmt(run_tool, operation="format", data=doc, indent=1)
    assert json.loads(out["result"]) == doc


# ---- hash-text -----------------------------------------------------------------------------------

# The exact executables hash-text may use: its skilllite.exec list, nothing else from PATH.
HASH_TEXT_EXEC = ["tr", "awk", "base64", "sha256sum", "sha1sum", "md5sum"]


@pytest.fixture(scope="module")
def declared_bin(tmp_path_factory):
    """A PATH directory holding only the executables hash-text declares."""
    d = tmp_path_factory.mktemp("declared-bin")
    for name in HASH_TEXT_EXEC:
        target = shutil.which(name, path="/usr/bin:/bin")
        assert target, name
        os.symlink(os.path.realpath(target), d / name)
    return d


@pytest.fixture(params=["/bin/sh", "/bin/bash"])
def hash_text(request, run_tool, declared_bin):
    """hash_text(request) -> SkillRun, under dash and bash, with only declared executables."""
    return lambda req: run_tool("hash-text", "scripts/main.sh", req, interpreter=request.param,
                                env={"PATH": str(declared_bin)})


def test_hash_text_exec_list_matches_skill_md(skilllite):
    skill = skilllite("info", "--json", SKILLS / "hash-text").json()
    assert skill["metadata"]["skilllite.exec"].split(",") == HASH_TEXT_EXEC


HASH_SAMPLES = ["", "hello", "héllo wörld\n", "東京 😀\n\n", "tab\tquote\" back\\slash /",
                "a\u0000b\u0001\u007f", "\r\n" * 3, "\U0010FFFF"]


@pytest.mark.parametrize("text", HASH_SAMPLES, ids=range(len(HASH_SAMPLES)))
@pytest.mark.parametrize("algorithm", ["sha256", "sha1", "md5"])
def test_hash_text_digests(algorithm, text, hash_text):
    out = ok(hash_text({"operation": algorithm, "text": text}))
    assert out == {"operation": algorithm,
                   "result": hashlib.new(algorithm, text.encode()).hexdigest()}


def test_hash_text_escaped_input(hash_text):
    """\\u escapes (including a surrogate pair) and short escapes decode to the right bytes."""
    raw = b'{"text": "\\u00e9\\ud83d\\ude00\\n\\t\\"\\\\\\/\\b\\f\\r\\u0041", "operation": "md5"}'
    expected = hashlib.md5("é😀\n\t\"\\/\b\f\rA".encode()).hexdigest()
    assert ok(hash_text(raw))["result"] == expected


@pytest.mark.parametrize("text", HASH_SAMPLES, ids=range(len(HASH_SAMPLES)))
def test_hash_text_base64_round_trip(text, hash_text):
    raw = json.dumps({"operation": "base64_encode", "text": text}, ensure_ascii=False)
    encoded = ok(hash_text(raw))["result"]
    assert encoded == base64.b64encode(text.encode()).decode()
    decoded = ok(hash_text({"operation": "base64_decode", "text": encoded}))["result"]
    assert decoded == text


def test_hash_text_base64_decode_ignores_line_breaks(hash_text):
    encoded = base64.encodebytes(("line\n" * 40).encode()).decode()  # wrapped at 76 columns
    assert "\n" in encoded.strip()
    assert ok(hash_text({"operation": "base64_decode", "text": encoded}))["result"] == "line\n" * 40


@pytest.mark.parametrize("text", ["abc", "ab!=", "YQ==YQ==", "Y===", "=", "YWJj\nZA", "%%%%"])
def test_hash_text_invalid_base64(text, hash_text):
    assert "base64" in logical_error(hash_text({"operation": "base64_decode", "text": text}))


def test_hash_text_decoded_bytes_must_be_utf8(hash_text):
    error = logical_error(hash_text({"operation": "base64_decode", "text": "/w=="}))
    assert "UTF-8" in error


@pytest.mark.parametrize("text", ["", "one", "héllo wörld\nline two\n東京", "a\tb  c\n\n",
                                  "😀 😀\n", "\n", " trailing space ", "x\n ", "é\u00a0é"])
def test_hash_text_count(text, hash_text):
    out = ok(hash_text({"operation": "count", "text": text}))
    assert out["result"] == {"bytes": len(text.encode()), "characters": len(text),
                             "lines": text.count("\n"),
                             "words": len([w for w in re.split("[ \t\n]+", text) if w])}


@pytest.mark.parametrize("request_,needle", [
    ({"text": "x"}, "operation"),
    ({"operation": "sha512", "text": "x"}, "unknown operation"),
    ({"operation": "sha256"}, "text"),
    ({"operation": "sha256", "text": 5}, "text"),
    ({"operation": "sha256", "text": {"a": "b"}}, "text"),
    ({"operation": ["sha256"], "text": "x"}, "operation"),
    ('{"operation": "sha256", "text": "a", "text": "b"}', "duplicate"),
    ('{"operation": "sha256", "text": "\\ud800"}', "surrogate"),
    ('{"operation": "sha256", "text": "\\q"}', "escape"),
    ('{"operation": "sha256", "text": "a\tb"}', "control character"),
    (b'{"operation": "sha256", "text": "\xc3"}', "UTF-8"),
    (b'{"operation": "sha256", "text": "\xed\xa0\x80"}', "UTF-8"),
    (b'{"operation": "sha256", "text": "a\x01"}', "control character"),
    (b'{"operation": "sha256", "text": "a"}\x01', "control character"),
    (b'{"operation": "sha256", "text": "a"}\x00', "control character"),
    (b'{"operation": "sha256", "text": "a\x00b"}', "control character"),
    ('{"operation": "sha256", "text": "a"', "end of input"),
    ('{"operation": "sha256" "text": "a"}', "expected"),
    ('{"operation": "sha256", "text": "a", "n": 01}', "expected"),
], ids=lambda r: r if isinstance(r, str) and len(r) < 20 else None)
def test_hash_text_errors(request_, needle, hash_text):
    assert needle in logical_error(hash_text(request_))


def test_hash_text_error_messages_do_not_echo_input(hash_text):
    """Messages are fixed text: an attacker-chosen operation cannot break the output JSON."""
    error = logical_error(hash_text({"operation": 'x","pwned":true,"y":"', "text": "x"}))
    assert "pwned" not in error


def test_hash_text_ignores_nested_fields(hash_text):
    request = {"meta": {"text": "nested", "operation": 1}, "list": [{"text": 1}, 2.5e-3, True,
               None, [], {}], "operation": "sha1", "text": "top"}
    assert ok(hash_text(request))["result"] == hashlib.sha1(b"top").hexdigest()


def test_hash_text_one_mebibyte(hash_text):
    text = "Ünïcödé 東京 😀 text, mixed.\n" * 30000
    assert len(text.encode()) > MIB
    # Once with every non-ASCII character as a \u escape, then as raw UTF-8.
    assert ok(hash_text({"operation": "sha256", "text": text}))["result"] == \
        hashlib.sha256(text.encode()).hexdigest()
    raw = json.dumps({"operation": "count", "text": text}, ensure_ascii=False)
    count = ok(hash_text(raw))["result"]
    assert count == {"bytes": len(text.encode()), "characters": len(text), "lines": 30000,
                     "words": 5 * 30000}
    raw = json.dumps({"operation": "base64_encode", "text": text}, ensure_ascii=False)
    encoded = ok(hash_text(raw))["result"]
    assert ok(hash_text({"operation": "base64_decode", "text": encoded}))["result"] == text


# ---- unit-converter ------------------------------------------------------------------------------

def convert(run_tool, quantity, **request):
    return ok(run_tool("unit-converter", f"scripts/{quantity}.py", request))


@pytest.mark.parametrize("quantity,value,src,dst,result", [
    ("length", 5, "km", "mi", 3.10685596119),
    ("length", 1, "mi", "ft", 5280.0),
    ("length", 12, "inches", "foot", 1.0),
    ("length", -3, "m", "cm", -300.0),
    ("length", 1, "nmi", "m", 1852.0),
    ("mass", 1, "lb", "kg", 0.45359237),
    ("mass", 1, "st", "lb", 14.0),
    ("mass", 16, "oz", "pound", 1.0),
    ("mass", 2.5, "t", "kg", 2500.0),
    ("temperature", 100, "C", "F", 212.0),
    ("temperature", -40, "F", "C", -40.0),
    ("temperature", 0, "K", "C", -273.15),
    ("temperature", -273.15, "celsius", "K", 0.0),
    ("temperature", 98.6, "°F", "C", 37.0),
    ("temperature", 491.67, "R", "C", 0.0),
])
def test_unit_conversions(quantity, value, src, dst, result, run_tool):
    out = convert(run_tool, quantity, value=value, **{"from": src, "to": dst})
    assert out["result"] == pytest.approx(result, rel=1e-11)
    assert out["value"] == value


def test_unit_all_targets(run_tool):
    out = convert(run_tool, "temperature", value=20, **{"from": "C"})
    assert out["results"] == {"C": 20.0, "F": 68.0, "K": 293.15, "R": pytest.approx(527.67)}
    out = convert(run_tool, "length", value=1, **{"from": "m"})
    assert set(out["results"]) == {"mm", "cm", "m", "km", "in", "ft", "yd", "mi", "nmi"}


@pytest.mark.parametrize("quantity,request_", [
    ("length", {"value": 1, "from": "parsec", "to": "m"}),
    ("length", {"value": 1, "from": "m", "to": "kg"}),
    ("length", {"value": "1", "from": "m", "to": "cm"}),
    ("length", {"value": True, "from": "m", "to": "cm"}),
    ("length", {"from": "m", "to": "cm"}),
    ("mass", {"value": 1, "from": "C"}),
    ("mass", {"value": 1, "to": "g"}),
    ("temperature", {"value": -1, "from": "K", "to": "C"}),
    ("temperature", {"value": -300, "from": "C"}),
    ("temperature", {"value": 1e400, "from": "C"}),
], ids=lambda x: x if isinstance(x, str) else json.dumps(x))
def test_unit_errors(quantity, request_, run_tool):
    logical_error(run_tool("unit-converter", f"scripts/{quantity}.py", request_))


def test_unit_nan_is_refused(run_tool):
    logical_error(run_tool("unit-converter", "scripts/length.py",
                           '{"value": NaN, "from": "m", "to": "cm"}'))


# ---- in the sandbox, when `run`/`exec` exist ---------------------------------------------------

@pytest.mark.parametrize("skill,script,good", TOOLS, ids=TOOL_IDS)
def test_same_answer_in_the_sandbox(skill, script, good, run_tool, skilllite):
    """Where the engine can already run skills, each tool answers exactly as when run directly."""
    direct = ok(run_tool(skill, script, good))
    before = _snapshot(SKILLS / skill)
    if EXPECTED[skill]["entry_point"] == script:
        r = skilllite("run", "--sandbox-level", "2", SKILLS / skill, json.dumps(good))
    else:
        r = skilllite("exec", "--sandbox-level", "2", SKILLS / skill, script, json.dumps(good))
    if r.code == 2 and "unknown command" in r.err:
        pytest.skip("this build has no run/exec command yet")
    if r.code == 4:
        pytest.skip(f"sandbox unavailable here: {r.err.strip()}")
    assert r.code == 0, r
    assert json.loads(r.out) == direct
    assert _snapshot(SKILLS / skill) == before, f"{skill} wrote into its own directory"
