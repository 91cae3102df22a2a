"""The input schema in `info --json` and `show --json`: declared (metadata skilllite.input-schema,
a JSON file inside the skill), inferred from argparse in a Python entry script, the bash-tool
object, or the permissive default. Inference is checked against argparse itself."""
import json
import os
import subprocess

import pytest

from conftest import SKILLS

DEFAULT = {"type": "object", "properties": {}, "additionalProperties": True,
           "x-skilllite-source": "default"}

ARGPARSE_SCRIPT = '''#!/usr/bin/env python3
"""Demo tool."""
import argparse
import json
import os
import sys

parser = argparse.ArgumentParser(description="Resize pictures.")
parser.add_argument("source", help="the picture")
parser.add_argument("-W", "--max-width", type=int, default=800, help="pixels")
parser.add_argument("--scale", type=float)
parser.add_argument("-q", "--quiet", action="store_true")
parser.add_argument("--format", choices=["png", "jpeg"], default="png")
parser.add_argument("--tag", action="append", dest="tags")
parser.add_argument("--size", nargs=2, type=int)
parser.add_argument("--out-dir", required=True)
parser.add_argument("extra", nargs="*")
parser.add_argument("--mode", type=str, default=os.environ.get("MODE", "a"))

if os.environ.get("DUMP_ARGPARSE"):
    print(json.dumps([{"dest": a.dest, "required": a.required, "nargs": a.nargs,
                       "choices": list(a.choices) if a.choices else None}
                      for a in parser._actions if a.dest != "help"]))
    sys.exit(0)
print(json.dumps(json.load(sys.stdin)))
'''


def info_json(skilllite, path):
    r = skilllite("info", "--json", path)
    assert r.code == 0 and r.err == "", r
    out = r.json()
    assert "input_schema" in out, out
    return out


def test_bundled_skills_all_have_a_schema(skilllite):
    for d in sorted(SKILLS.iterdir()):
        if not (d / "SKILL.md").exists():
            continue
        out = info_json(skilllite, d)
        schema = out["input_schema"]
        assert schema["type"] == "object", (d.name, schema)
        entry = out["entry_point"]
        uses_argparse = bool(entry) and entry.endswith(".py") and "argparse" in (d / entry).read_text()
        want = "argparse" if uses_argparse else "bash-tool" if out["kind"] == "bash-tool" else "default"
        assert schema["x-skilllite-source"] == want, (d.name, schema)
        if want == "default":
            assert schema == DEFAULT
        # a bundled skill's schema is shown the same way by show
        r = skilllite("show", "--json", "-s", SKILLS, out["name"])
        assert r.code == 0, r
        assert r.json()["input_schema"] == schema


def test_argparse_entry_is_inferred_like_argparse(skilllite, make_skill):
    d = make_skill("resize", "name: resize\ndescription: Resize.\n",
                   files={"scripts/main.py": ARGPARSE_SCRIPT})
    schema = info_json(skilllite, d)["input_schema"]
    assert schema["x-skilllite-source"] == "argparse"
    assert schema["description"] == "Resize pictures."
    assert schema["additionalProperties"] is True
    props = schema["properties"]
    assert props["max_width"] == {"type": "integer", "default": 800, "description": "pixels"}
    assert props["quiet"] == {"type": "boolean", "default": False}
    assert props["format"] == {"type": "string", "enum": ["png", "jpeg"], "default": "png"}
    assert props["tags"] == {"type": "array", "items": {"type": "string"}}
    assert props["size"] == {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}
    assert props["mode"] == {"type": "string"}, "a computed default is skipped"

    # the same names and required set as argparse's own view of the parser
    dump = subprocess.run(["/usr/bin/python3", d / "scripts" / "main.py"], capture_output=True,
                          text=True, env={"DUMP_ARGPARSE": "1", "PATH": "/usr/bin:/bin"}, check=True)
    actions = json.loads(dump.stdout)
    assert list(props) == [a["dest"] for a in actions]
    required = {a["dest"] for a in actions
                if a["required"] and a["nargs"] not in ("?", "*")}
    assert set(schema["required"]) == required == {"source", "out_dir"}
    for a in actions:
        if a["choices"]:
            assert props[a["dest"]]["enum"] == a["choices"]


def test_show_json_has_the_schema(skilllite, tmp_path):
    skills = tmp_path / "skills"
    d = skills / "resize"
    (d / "scripts").mkdir(parents=True)
    (d / "SKILL.md").write_text("---\nname: resize\ndescription: Resize.\n---\n# x\n")
    (d / "scripts" / "main.py").write_text(ARGPARSE_SCRIPT)
    bad = skills / "broken"
    bad.mkdir()
    (bad / "SKILL.md").write_text("no front matter\n")
    r = skilllite("show", "--json", "-s", skills, "resize")
    assert r.code == 0, r
    assert r.json()["input_schema"] == info_json(skilllite, d)["input_schema"]
    r = skilllite("show", "--json", "-s", skills, "broken")
    assert r.code == 0, r
    assert r.json()["valid"] is False and "input_schema" not in r.json()
    # list carries the same schemas (mcp builds its tool list from it), none for invalid skills
    r = skilllite("list", "--json", "-s", skills)
    assert r.code == 0, r
    by_name = {s["name"]: s for s in r.json()["skills"]}
    assert by_name["resize"]["input_schema"] == info_json(skilllite, d)["input_schema"]
    assert "input_schema" not in by_name["broken"]


def test_declared_schema_wins(skilllite, make_skill):
    declared = {"type": "object", "properties": {"query": {"type": "string", "maxLength": 100}},
                "required": ["query"], "additionalProperties": False}
    d = make_skill("search", "name: search\ndescription: Search.\nmetadata:\n"
                   "  skilllite.input-schema: schema/input.json\n",
                   files={"scripts/main.py": ARGPARSE_SCRIPT,
                          "schema/input.json": json.dumps(declared)})
    r = skilllite("validate", "--json", d)
    assert r.code == 0, r
    assert r.json()["warnings"] == [], "the key is known"
    assert info_json(skilllite, d)["input_schema"] == {**declared, "x-skilllite-source": "declared"}


@pytest.mark.parametrize("setup,words", [
    ("missing", "does not exist"),
    ("escape", "outside the skill"),
    ("not-json", "invalid JSON"),
    ("array", "JSON object"),
    ("not-object-schema", "object schema"),
    ("too-big", "larger than 256 KiB"),
    ("directory", "not a regular file"),
])
def test_declared_schema_problems_are_reported(skilllite, make_skill, tmp_path, setup, words):
    files = {"scripts/main.py": "print('{}')\n"}
    rel = "in.json"
    if setup == "escape":
        (tmp_path / "secret.json").write_text('{"type": "object"}')
    elif setup == "not-json":
        files[rel] = '{"type": "object",}'
    elif setup == "array":
        files[rel] = "[]"
    elif setup == "not-object-schema":
        files[rel] = '{"type": "string"}'
    elif setup == "too-big":
        files[rel] = '{"type": "object", "description": "' + "x" * (256 * 1024) + '"}'
    elif setup == "directory":
        files["in.json/keep"] = ""
    d = make_skill("sk", f"name: sk\ndescription: S.\nmetadata:\n  skilllite.input-schema: {rel}\n",
                   files=files)
    if setup == "escape":
        os.symlink("../secret.json", d / rel)
    out = info_json(skilllite, d)
    assert out["input_schema"] is None
    assert words in out["input_schema_error"], out
    assert "skilllite.input-schema" in out["input_schema_error"]
    # the text form of info is unaffected
    r = skilllite("info", d)
    assert r.code == 0, r


@pytest.mark.parametrize("value", ["../outside.json", "/etc/passwd", "a/../../b.json"])
def test_validate_refuses_a_path_leaving_the_skill(skilllite, make_skill, value):
    d = make_skill("sk", f"name: sk\ndescription: S.\nmetadata:\n  skilllite.input-schema: \"{value}\"\n")
    r = skilllite("validate", "--json", d)
    assert r.code == 2, r
    errors = r.json()["errors"]
    assert [(e["field"], e["rule"]) for e in errors] == [("metadata.skilllite.input-schema", "path")]


def test_multi_script_and_bash_tool_skills(skilllite, make_skill):
    d = make_skill("multi", "name: multi\ndescription: M.\n",
                   files={"scripts/a.py": ARGPARSE_SCRIPT, "scripts/b.py": ARGPARSE_SCRIPT})
    out = info_json(skilllite, d)
    assert out["kind"] == "multi-script"
    assert out["input_schema"] == DEFAULT, "no single input for the whole skill"

    d = make_skill("gitlog", "name: gitlog\ndescription: G.\nallowed-tools: Bash(git log:*)\n")
    out = info_json(skilllite, d)
    assert out["kind"] == "bash-tool"
    schema = out["input_schema"]
    assert schema["x-skilllite-source"] == "bash-tool"
    assert schema["required"] == ["command"]
    assert schema["properties"]["command"]["type"] == "string"


def test_hostile_entry_scripts(skilllite, make_skill):
    many = "import argparse\np = argparse.ArgumentParser()\n" + "".join(
        f"p.add_argument('--o{i}', type=int)\n" for i in range(1000))
    d = make_skill("many", "name: many\ndescription: M.\n", files={"scripts/main.py": many})
    props = info_json(skilllite, d)["input_schema"]["properties"]
    assert len(props) == 256 and "o0" in props and "o255" in props and "o256" not in props

    huge = "import argparse\np = argparse.ArgumentParser()\np.add_argument('--x')\n" + "#" * (1 << 20)
    d = make_skill("huge", "name: huge\ndescription: H.\n", files={"scripts/main.py": huge})
    assert info_json(skilllite, d)["input_schema"] == DEFAULT, "over 1 MiB: not inferred"

    deep = ("import argparse\np = argparse.ArgumentParser()\np.add_argument('--x', help='" + "y" * 5000
            + "')\np.add_argument('--z', default=" + "(" * 10000 + "\n")
    d = make_skill("deep", "name: deep\ndescription: D.\n", files={"scripts/main.py": deep})
    assert info_json(skilllite, d)["input_schema"] == DEFAULT, "beyond the lexer's nesting limit"

    d = make_skill("long", "name: long\ndescription: L.\n", files={
        "scripts/main.py": "import argparse\np = argparse.ArgumentParser()\np.add_argument('--x', help='"
                           + "y" * 5000 + "')\np.add_argument('--b', help='\\xff\\x00')\n"})
    props = info_json(skilllite, d)["input_schema"]["properties"]
    assert props["x"]["description"] == "y" * 1024
    assert props["b"]["description"] == "\u00ff\u0000"
