"""`validate` and `info` on crafted skills: every SKILL.md rule, the text and --json output, and
the exit codes (0 valid, 2 invalid or unreadable)."""
import os
import time

import pytest

from conftest import SKILLS

MIB = 1 << 20
FINDING_KEYS = {"field", "rule", "message"}
SKILL_KEYS = {"name", "description", "license", "compatibility", "metadata", "allowed_tools",
              "entry_point", "language", "kind", "scripts", "path"}


def check_shape(out):
    """The validate --json contract: {"valid", "errors", "warnings", "skill"}."""
    assert set(out) == {"valid", "errors", "warnings", "skill"}, out
    assert isinstance(out["valid"], bool)
    for finding in out["errors"] + out["warnings"]:
        assert set(finding) == FINDING_KEYS, finding
        assert all(isinstance(finding[k], str) and finding[k] for k in FINDING_KEYS), finding
    if out["valid"]:
        assert out["errors"] == []
        assert set(out["skill"]) == SKILL_KEYS
    else:
        assert out["errors"], out
        assert out["skill"] is None


def validate(skilllite, path):
    """validate --json, with the shape and the exit code checked; returns the JSON."""
    r = skilllite("validate", "--json", path)
    out = r.json()
    check_shape(out)
    assert r.code == (0 if out["valid"] else 2), r
    assert r.err == "", r
    return out


def invalid(skilllite, path, field, rule=None):
    """Assert the skill is invalid with an error on field (and rule); return that error."""
    out = validate(skilllite, path)
    assert out["valid"] is False, out
    hits = [e for e in out["errors"] if e["field"] == field and (rule is None or e["rule"] == rule)]
    assert hits, out["errors"]
    return hits[0]


def valid(skilllite, path):
    out = validate(skilllite, path)
    assert out["valid"] is True, out
    return out


def fm(name, extra="", description="A test skill."):
    return f"name: {name}\ndescription: {description}\n{extra}"


# ---- a good skill, both output forms ---------------------------------------------------------------

@pytest.mark.parametrize("binary", ["skilllite", "skilllite-sandbox"])
def test_valid_skill_both_editions(binary, skilllite, skilllite_sandbox, make_skill):
    d = make_skill("good", fm("good"), files={"scripts/main.py": "print('{}')\n"})
    run = skilllite if binary == "skilllite" else skilllite_sandbox
    r = run("validate", "--json", d)
    assert r.code == 0, r
    out = r.json()
    check_shape(out)
    assert out["valid"] and out["errors"] == [] and out["warnings"] == []
    assert out["skill"] == {
        "name": "good", "description": "A test skill.", "license": None, "compatibility": None,
        "metadata": {}, "allowed_tools": None, "entry_point": "scripts/main.py",
        "language": "python", "kind": "standard",
        "scripts": [{"path": "scripts/main.py", "language": "python"}], "path": str(d),
    }


def test_valid_text_output(skilllite, make_skill):
    d = make_skill("good", fm("good"))
    r = skilllite("validate", d)
    assert r.code == 0 and r.err == "", r
    assert r.out == "Skill validation passed: good (prompt-only)\n"


def test_invalid_text_output(skilllite, make_skill):
    d = make_skill("bad", fm("Bad", description='""'))
    r = skilllite("validate", d)
    assert r.code == 2, r
    lines = r.out.splitlines()
    assert lines[0] == f"Skill validation failed: {d}"
    assert any(line.startswith("  error: name [format]: ") for line in lines), r.out
    assert any(line.startswith("  error: description [length]: ") for line in lines), r.out


def test_warnings_in_text_output(skilllite, make_skill):
    d = make_skill("warn", fm("warn", "homepage: https://example.com\n"))
    r = skilllite("validate", d)
    assert r.code == 0, r
    assert r.out.splitlines() == [
        "Skill validation passed: warn (prompt-only)",
        "  warning: homepage [unknown]: unknown front matter key 'homepage' is ignored",
    ]


def test_full_front_matter(skilllite, make_skill):
    d = make_skill("full", fm("full", "license: Apache-2.0\ncompatibility: Python 3.10+\n"
                                      "allowed-tools: Read Write\nmetadata:\n  author: me\n"
                                      "  version: \"2.1\"\n  skilllite.network: \"api.example.com:443,*.example.org\"\n"
                                      "  skilllite.exec: \"git,jq\"\n  skilllite.timeout: \"60\"\n"
                                      "  skilllite.memory: \"512\"\n"))
    skill = valid(skilllite, d)["skill"]
    assert skill["license"] == "Apache-2.0"
    assert skill["compatibility"] == "Python 3.10+"
    assert skill["allowed_tools"] == "Read Write"
    assert skill["metadata"] == {"author": "me", "version": "2.1",
                                 "skilllite.network": "api.example.com:443,*.example.org",
                                 "skilllite.exec": "git,jq", "skilllite.timeout": "60",
                                 "skilllite.memory": "512"}


# ---- SKILL.md as a file ---------------------------------------------------------------------------

def test_missing_skill_md(skilllite, tmp_path):
    d = tmp_path / "empty-dir"
    d.mkdir()
    err = invalid(skilllite, d, "SKILL.md", "required")
    assert "SKILL.md" in err["message"]
    r = skilllite("validate", d)
    assert r.code == 2 and "SKILL.md" in r.out


def test_missing_directory(skilllite, tmp_path):
    err = invalid(skilllite, tmp_path / "nope", "skill", "load")
    assert "nope" in err["message"]


def test_file_instead_of_directory(skilllite, tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    invalid(skilllite, f, "skill", "load")


def test_skill_md_is_a_directory(skilllite, tmp_path):
    d = tmp_path / "odd"
    (d / "SKILL.md").mkdir(parents=True)
    invalid(skilllite, d, "SKILL.md")


def test_skill_md_symlink_out_of_the_skill(skilllite, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("---\nname: linked\ndescription: x\n---\n")
    d = tmp_path / "linked"
    d.mkdir()
    (d / "SKILL.md").symlink_to(outside)
    invalid(skilllite, d, "SKILL.md", "path")


@pytest.mark.parametrize("raw,what", [
    (b"", "no front matter"),
    (b"# Just markdown\n", "no front matter"),
    (b"\n---\nname: x\ndescription: y\n---\n", "no front matter"),
    (b"----\nname: x\ndescription: y\n----\n", "no front matter"),
    (b"---\nname: x\ndescription: y\n", "not terminated"),
    (b"---\nname: x\ndescription: y\n--\n# body\n", "not terminated"),
    (b"---", "not terminated"),
], ids=["empty", "markdown", "blank-first-line", "four-dashes", "unterminated",
        "two-dashes", "only-opening"])
def test_front_matter_delimiters(raw, what, skilllite, make_skill):
    d = make_skill("delims", None, raw=raw)
    err = invalid(skilllite, d, "SKILL.md", "syntax")
    assert what in err["message"]


@pytest.mark.parametrize("raw", [
    b"\xef\xbb\xbf---\r\nname: eol\r\ndescription: CRLF and a BOM\r\n---\r\n# Body\r\n",
    b"---\rname: eol\rdescription: old Mac line ends\r---\r# Body\r",
    b"---   \nname: eol\ndescription: trailing blanks on the delimiters\n---\t\n",
    b"---\nname: eol\ndescription: no newline after the closing line\n---",
], ids=["crlf-bom", "cr", "trailing-blanks", "no-final-newline"])
def test_line_endings_and_bom_accepted(raw, skilllite, make_skill):
    d = make_skill("eol", None, raw=raw)
    skill = valid(skilllite, d)["skill"]
    assert skill["name"] == "eol"
    assert "\r" not in skill["description"]


def test_invalid_utf8(skilllite, make_skill):
    d = make_skill("latin1", None, raw=b"---\nname: latin1\ndescription: caf\xe9\n---\n")
    err = invalid(skilllite, d, "SKILL.md", "syntax")
    assert "UTF-8" in err["message"] and "line 3" in err["message"]


def test_invalid_utf8_in_body(skilllite, make_skill):
    d = make_skill("latin1", None, raw=b"---\nname: latin1\ndescription: x\n---\n\xff\n")
    assert "UTF-8" in invalid(skilllite, d, "SKILL.md", "syntax")["message"]


@pytest.mark.parametrize("raw", [
    b"---\nname: nul\ndescription: a\x00b\n---\n",
    b"---\nname: nul\ndescription: x\n---\nbody\x00\n",
], ids=["front-matter", "body"])
def test_nul_byte(raw, skilllite, make_skill):
    d = make_skill("nul", None, raw=raw)
    assert "NUL" in invalid(skilllite, d, "SKILL.md")["message"]


def test_escaped_nul_in_a_value(skilllite, make_skill):
    d = make_skill("nul", fm("nul", description='"a\\0b"'))
    assert "NUL" in invalid(skilllite, d, "description")["message"]


def test_size_limit(skilllite, make_skill):
    head = b"---\nname: big\ndescription: x\n---\n"
    d = make_skill("big", None, raw=head + b"a" * (MIB - len(head)))
    valid(skilllite, d)
    d = make_skill("big", None, raw=head + b"a" * (MIB - len(head) + 1))
    err = invalid(skilllite, d, "SKILL.md", "size")
    assert "1 MiB" in err["message"]


def test_huge_file_is_refused_quickly(skilllite, make_skill):
    d = make_skill("huge", None, raw=b"---\nname: huge\ndescription: x\n---\n" + b"a" * (64 * MIB))
    start = time.monotonic()
    invalid(skilllite, d, "SKILL.md", "size")
    assert time.monotonic() - start < 5


# ---- YAML -------------------------------------------------------------------------------------------

def test_front_matter_must_be_a_mapping(skilllite, make_skill):
    d = make_skill("listy", "- name\n- description\n")
    assert "mapping" in invalid(skilllite, d, "front_matter", "type")["message"]


def test_empty_front_matter(skilllite, make_skill):
    d = make_skill("blank", "")
    invalid(skilllite, d, "front_matter", "type")


def test_yaml_syntax_error_has_a_line(skilllite, make_skill):
    d = make_skill("broken", fm("broken", "metadata: [unclosed\n"))
    err = invalid(skilllite, d, "SKILL.md", "syntax")
    assert "line" in err["message"]


def test_duplicate_key(skilllite, make_skill):
    d = make_skill("dup", fm("dup", "name: dup\n"))
    err = invalid(skilllite, d, "SKILL.md", "syntax")
    assert "duplicate key 'name'" in err["message"] and "line 4" in err["message"]


def test_duplicate_key_in_metadata(skilllite, make_skill):
    d = make_skill("dup", fm("dup", "metadata:\n  a: \"1\"\n  a: \"2\"\n"))
    assert "duplicate key 'a'" in invalid(skilllite, d, "SKILL.md", "syntax")["message"]


def test_tab_indentation(skilllite, make_skill):
    d = make_skill("tabs", fm("tabs", "metadata:\n\tversion: \"1\"\n"))
    err = invalid(skilllite, d, "SKILL.md", "syntax")
    assert "tab" in err["message"] and "line 5" in err["message"]


def test_billion_laughs(skilllite, make_skill):
    """Nested aliases that would expand to 10^9 nodes: refused, fast, without blowing up."""
    lines = ["metadata:", '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for c in "bcdefghi":
        lines.append(f"  {c}: &{c} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = c
    d = make_skill("laughs", fm("laughs", "\n".join(lines) + "\n"))
    start = time.monotonic()
    err = invalid(skilllite, d, "SKILL.md", "syntax")
    assert time.monotonic() - start < 2
    assert "alias" in err["message"] or "nodes" in err["message"]


def test_many_small_aliases_are_fine(skilllite, make_skill):
    d = make_skill("alias", "name: &n alias\ndescription: *n\n")
    assert valid(skilllite, d)["skill"]["description"] == "alias"


@pytest.mark.parametrize("value", ["[" * 5000 + "]" * 5000, "{a: " * 200 + "1" + "}" * 200,
                                   "[" * 100000])
def test_deep_nesting(value, skilllite, make_skill):
    d = make_skill("deep", fm("deep", f"metadata:\n  x: {value}\n"))
    start = time.monotonic()
    err = invalid(skilllite, d, "SKILL.md", "syntax")
    assert time.monotonic() - start < 2
    assert "nest" in err["message"] or "line" in err["message"]


def test_complex_key(skilllite, make_skill):
    d = make_skill("cplx", fm("cplx", "? [a, b]\n: c\n"))
    invalid(skilllite, d, "SKILL.md", "syntax")


def test_block_scalar_containing_dashes(skilllite, make_skill):
    """An indented '---' inside a block scalar does not end the front matter."""
    d = make_skill("block", "name: block\ndescription: |\n  first\n  ---\n  third\n")
    assert valid(skilllite, d)["skill"]["description"] == "first\n---\nthird\n"


def test_yaml_tags_and_quoting(skilllite, make_skill):
    d = make_skill("tags", "name: tags\ndescription: !!str 5\nmetadata:\n  version: '1.0'\n")
    out = valid(skilllite, d)
    assert out["skill"]["description"] == "5"
    assert out["skill"]["metadata"] == {"version": "1.0"}


# ---- name -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,rule", [
    ("Upper", "format"),
    ("has_underscore", "format"),
    ("has.dot", "format"),
    ("has space", "format"),
    ("café", "format"),
    ("-lead", "format"),
    ("trail-", "format"),
    ("dou--ble", "format"),
    ("a" * 65, "length"),
], ids=["upper", "underscore", "dot", "space", "non-ascii", "leading-hyphen", "trailing-hyphen",
        "double-hyphen", "65-chars"])
def test_bad_names(name, rule, skilllite, make_skill):
    d = make_skill(name, fm(f'"{name}"'))
    err = invalid(skilllite, d, "name", rule)
    assert "name" in err["message"]


@pytest.mark.parametrize("name", ["a", "x1", "a-b-c", "0day", "a" * 64])
def test_good_names(name, skilllite, make_skill):
    d = make_skill(name, fm(name))
    assert valid(skilllite, d)["skill"]["name"] == name


def test_name_must_match_directory(skilllite, make_skill):
    d = make_skill("the-dir", fm("other-name"))
    err = invalid(skilllite, d, "name", "directory")
    assert "other-name" in err["message"] and "the-dir" in err["message"]


@pytest.mark.parametrize("front_matter,rule", [
    ("description: x\n", "required"),
    ("name: \ndescription: x\n", "type"),
    ('name: ""\ndescription: x\n', "format"),
    ("name: 42\ndescription: x\n", "type"),
    ("name: [a]\ndescription: x\n", "type"),
])
def test_name_missing_or_not_a_string(front_matter, rule, skilllite, make_skill):
    d = make_skill("named", front_matter)
    err = invalid(skilllite, d, "name", rule)
    assert "name" in err["message"]


# ---- description, compatibility, license ------------------------------------------------------------

def test_missing_description(skilllite, make_skill):
    d = make_skill("nodesc", "name: nodesc\n")
    err = invalid(skilllite, d, "description", "required")
    assert "description" in err["message"]


@pytest.mark.parametrize("value", ['""', '"   "', "[a, b]", "12", "true"])
def test_description_empty_or_not_a_string(value, skilllite, make_skill):
    d = make_skill("desc", f"name: desc\ndescription: {value}\n")
    err = invalid(skilllite, d, "description")
    assert "description" in err["message"]


@pytest.mark.parametrize("char", ["a", "é", "東", "😀"], ids=["ascii", "2-byte", "3-byte", "4-byte"])
def test_description_limit_counts_characters(char, skilllite, make_skill):
    d = make_skill("desc", fm("desc", description=char * 1024))
    assert valid(skilllite, d)["skill"]["description"] == char * 1024
    d = make_skill("desc", fm("desc", description=char * 1025))
    err = invalid(skilllite, d, "description", "length")
    assert "1025" in err["message"] and "1024" in err["message"]


def test_compatibility_limit(skilllite, make_skill):
    d = make_skill("compat", fm("compat", "compatibility: " + "c" * 500 + "\n"))
    valid(skilllite, d)
    d = make_skill("compat", fm("compat", "compatibility: " + "c" * 501 + "\n"))
    err = invalid(skilllite, d, "compatibility", "length")
    assert "compatibility" in err["message"] and "501" in err["message"]


@pytest.mark.parametrize("extra,field", [
    ('license: ""\n', "license"),
    ("license: [MIT]\n", "license"),
    ("compatibility: 3.8\n", "compatibility"),
    ("allowed-tools: [Read]\n", "allowed-tools"),
])
def test_optional_fields_must_be_strings(extra, field, skilllite, make_skill):
    d = make_skill("opt", fm("opt", extra))
    assert field in invalid(skilllite, d, field)["message"]


def test_all_errors_are_reported_at_once(skilllite, make_skill):
    d = make_skill("many", "name: Many\ndescription: \"\"\ncompatibility: " + "c" * 501 +
                   "\nmetadata:\n  version: 1\n")
    out = validate(skilllite, d)
    assert {e["field"] for e in out["errors"]} == {"name", "description", "compatibility",
                                                   "metadata.version"}


# ---- metadata ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value,kind", [
    ("1.0", "number"),
    ("3", "integer"),
    ("true", "boolean"),
    ("[a]", "list"),
    ("{a: b}", "mapping"),
    ("", "null"),
])
def test_metadata_values_must_be_strings(value, kind, skilllite, make_skill):
    d = make_skill("meta", fm("meta", f"metadata:\n  version: {value}\n"))
    err = invalid(skilllite, d, "metadata.version", "type")
    assert "metadata.version" in err["message"] and kind in err["message"]
    if kind in ("number", "integer", "boolean"):
        assert "quote" in err["message"]


@pytest.mark.parametrize("value", ["hello", "[a]", "1"])
def test_metadata_must_be_a_mapping(value, skilllite, make_skill):
    d = make_skill("meta", fm("meta", f"metadata: {value}\n"))
    invalid(skilllite, d, "metadata", "type")


@pytest.mark.parametrize("key,value", [
    ("skilllite.timeout", "0"),
    ("skilllite.timeout", "86401"),
    ("skilllite.timeout", "1.5"),
    ("skilllite.timeout", "-1"),
    ("skilllite.timeout", "30s"),
    ("skilllite.memory", "0"),
    ("skilllite.memory", "abc"),
    ("skilllite.network", ""),
    ("skilllite.network", "a.com,,b.com"),
    ("skilllite.network", "a.com,"),
    ("skilllite.network", "https://a.com/path"),
    ("skilllite.exec", ""),
    ("skilllite.exec", "git jq"),
])
def test_skilllite_metadata_rules(key, value, skilllite, make_skill):
    d = make_skill("perm", fm("perm", f'metadata:\n  {key}: "{value}"\n'))
    err = invalid(skilllite, d, f"metadata.{key}", "format")
    assert f"metadata.{key}" in err["message"]


@pytest.mark.parametrize("key,value", [
    ("skilllite.timeout", "1"),
    ("skilllite.timeout", "86400"),
    ("skilllite.memory", "1048576"),
    ("skilllite.network", "api.example.com"),
    ("skilllite.network", "api.example.com:8443, *.example.org"),
    ("skilllite.exec", "git"),
])
def test_skilllite_metadata_accepted(key, value, skilllite, make_skill):
    d = make_skill("perm", fm("perm", f'metadata:\n  {key}: "{value}"\n'))
    out = valid(skilllite, d)
    assert out["warnings"] == []
    assert out["skill"]["metadata"][key] == value


# ---- unknown keys and extensions: warnings, exit 0 -----------------------------------------------

def test_unknown_keys_are_warnings(skilllite, make_skill):
    d = make_skill("extra", fm("extra", "homepage: x\ncapabilities: [python]\n"
                                        "metadata:\n  skilllite.gpu: \"yes\"\n  custom: \"ok\"\n"))
    out = valid(skilllite, d)
    warned = {(w["field"], w["rule"]) for w in out["warnings"]}
    assert warned == {("homepage", "unknown"), ("capabilities", "extension"),
                      ("metadata.skilllite.gpu", "unknown")}
    for w in out["warnings"]:
        assert w["field"].split(".")[-1] in w["message"]


# ---- entry_point ----------------------------------------------------------------------------------

def test_declared_entry_point(skilllite, make_skill):
    d = make_skill("declared", fm("declared", "entry_point: tools/run.js\n"),
                   files={"tools/run.js": "console.log('{}')\n", "scripts/other.py": "print(1)\n"})
    out = valid(skilllite, d)
    assert out["skill"]["entry_point"] == "tools/run.js"
    assert out["skill"]["language"] == "node"
    assert out["skill"]["kind"] == "standard"
    assert [(w["field"], w["rule"]) for w in out["warnings"]] == [("entry_point", "extension")]


@pytest.mark.parametrize("entry", ["../evil.py", "/etc/passwd", "scripts/../../evil.py", "a/../../b.py"])
def test_entry_point_escaping_the_skill(entry, skilllite, make_skill, tmp_path):
    (tmp_path / "evil.py").write_text("print(1)\n")
    d = make_skill("escape", fm("escape", f"entry_point: {entry}\n"))
    err = invalid(skilllite, d, "entry_point", "path")
    assert entry in err["message"]


def test_entry_point_symlink_out_of_the_skill(skilllite, make_skill, tmp_path):
    outside = tmp_path / "outside.py"
    outside.write_text("print(1)\n")
    d = make_skill("linky", fm("linky", "entry_point: scripts/run.py\n"))
    (d / "scripts").mkdir()
    (d / "scripts" / "run.py").symlink_to(outside)
    err = invalid(skilllite, d, "entry_point", "path")
    assert "outside" in err["message"]


def test_entry_point_missing(skilllite, make_skill):
    d = make_skill("missing", fm("missing", "entry_point: scripts/nope.py\n"))
    err = invalid(skilllite, d, "entry_point", "exists")
    assert "scripts/nope.py" in err["message"]


def test_entry_point_is_a_directory(skilllite, make_skill):
    d = make_skill("dir", fm("dir", "entry_point: scripts\n"), files={"scripts/main.py": "1\n"})
    invalid(skilllite, d, "entry_point", "exists")


def test_entry_point_not_a_script(skilllite, make_skill):
    d = make_skill("text", fm("text", "entry_point: README.txt\n"), files={"README.txt": "hi\n"})
    invalid(skilllite, d, "entry_point", "language")


def test_entry_point_by_shebang(skilllite, make_skill):
    d = make_skill("shebang", fm("shebang", "entry_point: bin/tool\n"),
                   files={"bin/tool": "#!/usr/bin/env python3\nprint('{}')\n"})
    assert valid(skilllite, d)["skill"]["language"] == "python"


# ---- kind, language and scripts -------------------------------------------------------------------

@pytest.mark.parametrize("files,kind,entry,language", [
    ({"scripts/main.py": "", "scripts/helper.py": ""}, "standard", "scripts/main.py", "python"),
    ({"scripts/main.js": "", "scripts/main.sh": ""}, "standard", "scripts/main.js", "node"),
    ({"scripts/main.sh": "", "scripts/x.py": ""}, "standard", "scripts/main.sh", "bash"),
    ({"scripts/index.ts": "", "scripts/util.ts": ""}, "standard", "scripts/index.ts", "node"),
    ({"scripts/main.py": "", "scripts/index.py": ""}, "standard", "scripts/main.py", "python"),
    ({"scripts/only.sh": ""}, "standard", "scripts/only.sh", "bash"),
    ({"scripts/a.py": "", "scripts/b.py": ""}, "multi-script", None, "python"),
    ({"scripts/a.py": "", "scripts/b.js": ""}, "multi-script", None, None),
    ({"scripts/tool": "#!/bin/sh\necho '{}'\n"}, "standard", "scripts/tool", "bash"),
    ({"scripts/README.md": "", "scripts/data.json": "{}"}, "prompt-only", None, None),
    ({"scripts/test_main.py": "", "scripts/__init__.py": "", "scripts/.hidden.py": "",
      "scripts/x_test.py": ""}, "prompt-only", None, None),
    ({"main.py": ""}, "prompt-only", None, None),
    ({"scripts/sub/main.py": ""}, "prompt-only", None, None),
    ({"references/guide.md": "# Guide\n"}, "prompt-only", None, None),
], ids=["main-wins", "main-js-before-sh", "main-sh", "index", "main-before-index",
        "single-script", "multi", "multi-mixed", "shebang", "no-scripts", "excluded-names",
        "root-main-ignored", "not-recursive", "references-only"])
def test_kind_resolution(files, kind, entry, language, skilllite, make_skill):
    d = make_skill("kinds", fm("kinds"), files=files)
    skill = valid(skilllite, d)["skill"]
    assert (skill["kind"], skill["entry_point"], skill["language"]) == (kind, entry, language)


def test_bash_tool_kind(skilllite, make_skill):
    d = make_skill("bashy", fm("bashy", "allowed-tools: Bash(git:*), Read\n"))
    skill = valid(skilllite, d)["skill"]
    assert skill["kind"] == "bash-tool" and skill["language"] == "bash"
    assert skill["allowed_tools"] == "Bash(git:*), Read"


def test_scripts_are_sorted_and_exclude_others(skilllite, make_skill):
    d = make_skill("sorted", fm("sorted"), files={
        "scripts/zeta.sh": "", "scripts/alpha.py": "", "scripts/Mid.js": "",
        "scripts/notes.txt": "", "scripts/test_alpha.py": ""})
    skill = valid(skilllite, d)["skill"]
    assert skill["scripts"] == [{"path": "scripts/Mid.js", "language": "node"},
                                {"path": "scripts/alpha.py", "language": "python"},
                                {"path": "scripts/zeta.sh", "language": "bash"}]


def test_symlinked_scripts_dir_is_not_followed(skilllite, make_skill, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "main.py").write_text("print(1)\n")
    d = make_skill("symdir", fm("symdir"))
    (d / "scripts").symlink_to(elsewhere)
    skill = valid(skilllite, d)["skill"]
    assert skill["scripts"] == [] and skill["kind"] == "prompt-only"


# ---- info ----------------------------------------------------------------------------------------

def test_info_text(skilllite):
    r = skilllite("info", SKILLS / "calculator")
    assert r.code == 0 and r.err == "", r
    lines = r.out.splitlines()
    assert lines[0] == "Skill Information:"
    fields = dict(line.strip().split(":", 1) for line in lines[1:] if ":" in line
                  and not line.startswith("    "))
    fields = {k: v.strip() for k, v in fields.items()}
    assert fields["Name"] == "calculator"
    assert fields["Kind"] == "standard"
    assert fields["Entry Point"] == "scripts/main.py"
    assert fields["Language"] == "python"
    assert fields["Path"] == str((SKILLS / "calculator").resolve())
    assert fields["Network"] == "(none)"
    assert "    scripts/main.py (python)" in lines


def test_info_shows_permissions_and_declared_entry(skilllite, make_skill):
    d = make_skill("perms", fm("perms", "entry_point: run.sh\nmetadata:\n"
                                        "  skilllite.network: \"api.example.com\"\n"
                                        "  skilllite.exec: \"jq\"\n"),
                   files={"run.sh": "echo '{}'\n"})
    r = skilllite("info", d)
    assert r.code == 0, r
    assert "  Entry Point:   run.sh (declared)\n" in r.out
    assert "  Network:       api.example.com\n" in r.out
    assert "  Extra exec:    jq\n" in r.out


@pytest.mark.parametrize("name,expected", [
    ("writing-guide", "(none - prompt-only skill)"),
    ("unit-converter", "(none - use 'skilllite exec' with one of the scripts)"),
])
def test_info_without_entry_point(name, expected, skilllite):
    r = skilllite("info", SKILLS / name)
    assert r.code == 0, r
    assert f"  Entry Point:   {expected}\n" in r.out


def test_info_json_matches_validate(skilllite):
    for name in ("calculator", "unit-converter", "writing-guide"):
        info = skilllite("info", "--json", SKILLS / name)
        assert info.code == 0, info
        out = info.json()
        assert out.pop("input_schema")["type"] == "object"  # info adds the tool input schema
        assert out == skilllite("validate", "--json", SKILLS / name).json()["skill"]


def test_info_invalid_skill(skilllite, make_skill):
    d = make_skill("Bad", fm("Bad"))
    for args in (["info"], ["info", "--json"]):
        r = skilllite(*args, d)
        assert r.code == 2, r
        assert r.out == ""
        assert "is not a valid skill" in r.err
        assert "error: name [format]" in r.err


def test_info_missing_directory(skilllite, tmp_path):
    r = skilllite("info", tmp_path / "nope")
    assert r.code == 2, r
    assert r.out == ""
    assert "nope" in r.err and "No such file" in r.err


def test_validate_relative_path(skilllite, make_skill):
    d = make_skill("rel", fm("rel"))
    r = skilllite("validate", "--json", "rel", cwd=d.parent)
    assert r.code == 0, r
    assert r.json()["skill"]["path"] == str(d)


def test_validate_path_with_trailing_slash(skilllite, make_skill):
    d = make_skill("slash", fm("slash"))
    assert skilllite("validate", f"{d}{os.sep}").code == 0


def test_validate_path_through_symlink(skilllite, make_skill, tmp_path):
    """The name is checked against the real directory, not the link's name."""
    d = make_skill("real-name", fm("real-name"))
    link = tmp_path / "link-name"
    link.symlink_to(d)
    assert validate(skilllite, link)["skill"]["path"] == str(d)


# ---- odd files and paths -------------------------------------------------------------------------

def test_skill_md_symlink_inside_the_skill(skilllite, tmp_path):
    d = tmp_path / "inside"
    (d / "docs").mkdir(parents=True)
    (d / "docs" / "real.md").write_text("---\nname: inside\ndescription: x\n---\n")
    (d / "SKILL.md").symlink_to("docs/real.md")
    valid(skilllite, d)


def test_skill_md_fifo_does_not_hang(skilllite, tmp_path):
    d = tmp_path / "fifo"
    d.mkdir()
    os.mkfifo(d / "SKILL.md")
    invalid(skilllite, d, "SKILL.md", "type")


def test_skill_md_device_is_refused(skilllite, tmp_path):
    d = tmp_path / "device"
    d.mkdir()
    (d / "SKILL.md").symlink_to("/dev/zero")
    invalid(skilllite, d, "SKILL.md")


def test_non_utf8_directory_name_keeps_json_valid(skilllite, tmp_path):
    d = os.path.join(os.fsencode(tmp_path), b"caf\xe9")
    os.mkdir(d)
    with open(os.path.join(d, b"SKILL.md"), "w") as f:
        f.write("---\nname: cafe\ndescription: x\n---\n")
    err = invalid(skilllite, os.fsdecode(d), "name", "directory")
    assert err["message"].startswith("name 'cafe' must equal")


@pytest.mark.parametrize("command", ["validate", "info"])
def test_valid_skill_under_non_utf8_path(command, skilllite, tmp_path):
    parent = os.path.join(os.fsencode(tmp_path), b"\xff")
    d = os.path.join(parent, b"good")
    os.makedirs(d)
    with open(os.path.join(d, b"SKILL.md"), "w") as f:
        f.write("---\nname: good\ndescription: x\n---\n")
    r = skilllite(command, "--json", os.fsdecode(d))
    assert r.code == 0, r
    assert r.json()["name" if command == "info" else "valid"]
    path = r.json()["path"] if command == "info" else r.json()["skill"]["path"]
    assert path.endswith("/\ufffd/good"), path  # the invalid byte shows as U+FFFD


def test_non_utf8_directory_name_is_shown_in_the_message(skilllite, tmp_path):
    d = os.path.join(os.fsencode(tmp_path), b"caf\xe9")
    os.mkdir(d)
    with open(os.path.join(d, b"SKILL.md"), "w") as f:
        f.write("---\nname: cafe\ndescription: x\n---\n")
    err = invalid(skilllite, os.fsdecode(d), "name", "directory")
    assert err["message"].endswith("'caf\ufffd'"), err["message"]
