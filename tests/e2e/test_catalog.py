"""`list` and `show`: discovery of the skills in a skills directory (-s/--skills-dir,
SKILLLITE_SKILLS_DIR, default ./.skills then ./skills), valid and invalid skills, duplicates."""
import os
import subprocess

import pytest

from conftest import BIN_DIR, SKILLS

ASAN_ENV = {k: v for k, v in os.environ.items()
            if k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS")}

SKILL_KEYS = {"name", "description", "license", "compatibility", "metadata", "allowed_tools",
              "entry_point", "language", "kind", "scripts", "path", "valid", "errors", "warnings",
              "install"}


def write_skill(root, dirname, name=None, description="A skill.", extra=""):
    d = root / dirname
    d.mkdir(parents=True, exist_ok=True)
    (d / "SKILL.md").write_text(f"---\nname: {name or dirname}\ndescription: {description}\n"
                                f"{extra}---\n# {dirname}\n")
    return d


@pytest.fixture
def project(tmp_path):
    """A project directory with ./skills holding valid and invalid skills and some clutter."""
    root = tmp_path / "project"
    skills = root / "skills"
    write_skill(skills, "zeta", description="Last one.")
    write_skill(skills, "alpha", description="First one.", extra="homepage: x\n")
    write_skill(skills, "mid", description="Has a script.")
    (skills / "mid" / "scripts").mkdir()
    (skills / "mid" / "scripts" / "main.py").write_text("print('{}')\n")
    write_skill(skills, "wrong-dir", name="right-name")
    bad = skills / "broken"
    bad.mkdir()
    (bad / "SKILL.md").write_text("no front matter here\n")
    (skills / "not-a-skill").mkdir()                        # no SKILL.md: not listed
    (skills / "README.md").write_text("# skills\n")         # a file: not listed
    write_skill(skills, ".hidden")                           # dot directory: not listed
    return root


def list_json(skilllite, *args, **kw):
    r = skilllite("list", "--json", *args, **kw)
    assert r.code == 0, r
    out = r.json()
    assert set(out) == {"skills_dirs", "skills", "duplicates"}, out
    for s in out["skills"]:
        # nothing here was installed with `add`: no integrity record to check against
        assert s["install"] == {"status": "unrecorded"}, s
        if s["valid"]:
            assert set(s) == SKILL_KEYS | {"input_schema"}, s
            assert s["input_schema"]["type"] == "object"
            assert s["errors"] == []
        else:
            assert {"name", "path", "valid", "errors", "warnings"} <= set(s), s
            assert s["errors"], s
    return out


# ---- list ------------------------------------------------------------------------------------------

def test_list_json(skilllite, project):
    out = list_json(skilllite, cwd=project)
    assert out["skills_dirs"] == ["skills"]
    assert out["duplicates"] == []
    names = [s["name"] for s in out["skills"]]
    assert names == ["alpha", "broken", "mid", "wrong-dir", "zeta"]
    by_name = {s["name"]: s for s in out["skills"]}
    assert by_name["alpha"]["valid"] and by_name["alpha"]["warnings"][0]["field"] == "homepage"
    assert by_name["mid"]["kind"] == "standard"
    assert by_name["mid"]["entry_point"] == "scripts/main.py"
    assert by_name["mid"]["path"] == str(project / "skills" / "mid")
    assert by_name["broken"]["valid"] is False
    assert by_name["broken"]["errors"][0]["field"] == "SKILL.md"
    assert by_name["wrong-dir"]["valid"] is False
    assert by_name["wrong-dir"]["errors"][0]["rule"] == "directory"


def test_list_text(skilllite, project):
    r = skilllite("list", cwd=project)
    assert r.code == 0 and r.err == "", r
    lines = r.out.splitlines()
    assert [line.split()[0] for line in lines] == ["alpha", "broken", "mid", "wrong-dir", "zeta"]
    rows = {line.split()[0]: line.split(None, 3)[1:] for line in lines}
    # kind, integrity status (none of these was installed with `add`), description
    assert rows["alpha"] == ["prompt-only", "unrecorded", "First one."]
    assert rows["mid"] == ["standard", "unrecorded", "Has a script."]
    assert rows["broken"][0] == "INVALID" and "front matter" in rows["broken"][2]
    assert rows["wrong-dir"][0] == "INVALID" and "right-name" in rows["wrong-dir"][2]


def test_list_is_sorted_bytewise(skilllite, tmp_path):
    for name in ["b", "a-b", "a", "ab", "a0", "9"]:
        write_skill(tmp_path, name)
    out = list_json(skilllite, "-s", tmp_path)
    assert [s["name"] for s in out["skills"]] == ["9", "a", "a-b", "a0", "ab", "b"]


@pytest.mark.parametrize("flag", ["-s", "--skills-dir"])
def test_explicit_skills_dir(flag, skilllite, project, tmp_path):
    other = tmp_path / "elsewhere"
    write_skill(other, "only-here")
    out = list_json(skilllite, flag, other, cwd=project)
    assert out["skills_dirs"] == [str(other)]
    assert [s["name"] for s in out["skills"]] == ["only-here"]


def test_skills_dir_equals_form(skilllite, tmp_path):
    write_skill(tmp_path / "x", "one")
    out = list_json(skilllite, f"--skills-dir={tmp_path / 'x'}")
    assert [s["name"] for s in out["skills"]] == ["one"]


def test_env_skills_dir(skilllite, project, tmp_path):
    env_dir = tmp_path / "from-env"
    write_skill(env_dir, "env-skill")
    out = list_json(skilllite, cwd=project, env={"SKILLLITE_SKILLS_DIR": str(env_dir)})
    assert out["skills_dirs"] == [str(env_dir)]
    assert [s["name"] for s in out["skills"]] == ["env-skill"]


def test_flag_beats_env(skilllite, tmp_path):
    write_skill(tmp_path / "flag", "from-flag")
    write_skill(tmp_path / "env", "from-env")
    out = list_json(skilllite, "-s", tmp_path / "flag",
                    env={"SKILLLITE_SKILLS_DIR": str(tmp_path / "env")})
    assert [s["name"] for s in out["skills"]] == ["from-flag"]


def test_empty_env_falls_back_to_default(skilllite, project):
    out = list_json(skilllite, cwd=project, env={"SKILLLITE_SKILLS_DIR": ""})
    assert out["skills_dirs"] == ["skills"]


def test_default_prefers_dot_skills(skilllite, tmp_path):
    write_skill(tmp_path / ".skills", "dotted")
    out = list_json(skilllite, cwd=tmp_path)
    assert out["skills_dirs"] == [".skills"]
    assert [s["name"] for s in out["skills"]] == ["dotted"]


def test_default_searches_both_dirs(skilllite, tmp_path):
    write_skill(tmp_path / ".skills", "dotted")
    write_skill(tmp_path / "skills", "plain")
    out = list_json(skilllite, cwd=tmp_path)
    assert out["skills_dirs"] == [".skills", "skills"]
    assert [s["name"] for s in out["skills"]] == ["dotted", "plain"]
    assert out["duplicates"] == []


def test_default_with_neither_dir(skilllite, tmp_path):
    out = list_json(skilllite, cwd=tmp_path)
    assert out == {"skills_dirs": [".skills"], "skills": [], "duplicates": []}
    r = skilllite("list", cwd=tmp_path)
    assert r.code == 0, r
    assert r.out == "No skills found in .skills.\n"


def test_duplicates_across_dirs(skilllite, tmp_path):
    write_skill(tmp_path / ".skills", "twin", description="The dotted twin.")
    write_skill(tmp_path / "skills", "twin", description="The plain twin.")
    write_skill(tmp_path / "skills", "single")
    r = skilllite("list", "--json", cwd=tmp_path)
    assert r.code == 0, r
    out = r.json()
    assert out["duplicates"] == [{"name": "twin", "paths": [".skills/twin", "skills/twin"]}]
    # Directory order first, then sorted within each directory.
    assert [s["name"] for s in out["skills"]] == ["twin", "single", "twin"]
    assert "duplicate skill name 'twin'" in r.err
    assert ".skills/twin" in r.err and "skills/twin" in r.err

    text = skilllite("list", cwd=tmp_path)
    assert text.code == 0
    assert "duplicate skill name 'twin'" in text.err

    # The first directory wins.
    show = skilllite("show", "--json", "twin", cwd=tmp_path)
    assert show.code == 0, show
    assert show.json()["description"] == "The dotted twin."


def test_invalid_duplicate_is_not_a_duplicate(skilllite, tmp_path):
    write_skill(tmp_path / ".skills", "twin")
    write_skill(tmp_path / "skills", "twin", description='""')
    out = list_json(skilllite, cwd=tmp_path)
    assert out["duplicates"] == []


def test_empty_skills_dir(skilllite, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    out = list_json(skilllite, "-s", empty)
    assert out == {"skills_dirs": [str(empty)], "skills": [], "duplicates": []}
    r = skilllite("list", "-s", empty)
    assert r.code == 0 and r.out == f"No skills found in {empty}.\n", r


def test_missing_skills_dir(skilllite, tmp_path):
    missing = tmp_path / "missing"
    out = list_json(skilllite, "-s", missing)
    assert out["skills"] == []
    r = skilllite("list", "-s", missing)
    assert r.code == 0 and "No skills found" in r.out, r


def test_skills_dir_is_a_file(skilllite, tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    r = skilllite("list", "-s", f)
    assert r.code == 2, r
    assert "Not a directory" in r.err


def test_symlinked_skill_is_listed(skilllite, tmp_path):
    real = write_skill(tmp_path / "store", "linked")
    (tmp_path / "skills").mkdir()
    (tmp_path / "skills" / "linked").symlink_to(real)
    out = list_json(skilllite, "-s", tmp_path / "skills")
    assert [s["name"] for s in out["skills"]] == ["linked"]


def test_list_rejects_arguments(skilllite, tmp_path):
    r = skilllite("list", "extra", cwd=tmp_path)
    assert r.code == 2 and "Usage: skilllite list" in r.err


def test_list_bundled_skills_from_repo_root(skilllite):
    out = list_json(skilllite, cwd=SKILLS.parent)
    assert "skills" in out["skills_dirs"]
    names = [s["name"] for s in out["skills"] if s["path"].startswith(str(SKILLS))]
    assert "calculator" in names and names == sorted(names)


# ---- show ------------------------------------------------------------------------------------------

def test_show_text(skilllite, project):
    r = skilllite("show", "mid", cwd=project)
    assert r.code == 0 and r.err == "", r
    lines = r.out.splitlines()
    assert lines[0] == "mid"
    assert lines[1] == "  Has a script."
    assert f"  path:          {project / 'skills' / 'mid'}" in lines
    assert "  kind:          standard" in lines
    assert "  entry point:   scripts/main.py" in lines
    assert "  language:      python" in lines
    assert "    scripts/main.py (python)" in lines


def test_show_text_with_metadata_and_warnings(skilllite, tmp_path):
    write_skill(tmp_path, "meta", extra='license: MIT\nmetadata:\n  version: "1.2"\n'
                                       '  skilllite.exec: "jq"\nhomepage: x\n')
    r = skilllite("show", "-s", tmp_path, "meta")
    assert r.code == 0, r
    assert "  license:       MIT\n" in r.out
    assert "  metadata:\n    version: 1.2\n    skilllite.exec: jq\n" in r.out
    assert "  warning: unknown front matter key 'homepage' is ignored\n" in r.out


def test_show_json(skilllite, project):
    r = skilllite("show", "--json", "alpha", cwd=project)
    assert r.code == 0, r
    out = r.json()
    assert set(out) == SKILL_KEYS | {"input_schema"}
    assert out["name"] == "alpha" and out["valid"] is True
    assert [w["field"] for w in out["warnings"]] == ["homepage"]
    validated = skilllite("validate", "--json", project / "skills" / "alpha").json()["skill"]
    assert {k: out[k] for k in validated} == validated


def test_show_invalid_skill(skilllite, project):
    r = skilllite("show", "broken", cwd=project)
    assert r.code == 0, r
    assert r.out.startswith("broken (INVALID) at ")
    assert "  error: " in r.out
    j = skilllite("show", "--json", "broken", cwd=project)
    assert j.code == 0, j
    out = j.json()
    assert out["valid"] is False and out["name"] == "broken" and out["errors"]


def test_show_by_directory_name_when_invalid(skilllite, project):
    out = skilllite("show", "--json", "wrong-dir", cwd=project).json()
    assert out["valid"] is False
    assert out["errors"][0]["rule"] == "directory"


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_show_unknown_skill(json_flag, skilllite, project):
    r = skilllite("show", *json_flag, "nope", cwd=project)
    assert r.code == 1, r
    assert r.out == ""
    assert "no skill named 'nope'" in r.err


def test_show_in_empty_and_missing_dirs(skilllite, tmp_path):
    (tmp_path / "empty").mkdir()
    for d in (tmp_path / "empty", tmp_path / "missing"):
        r = skilllite("show", "-s", d, "anything")
        assert r.code == 1, r


@pytest.mark.parametrize("flag", ["-s", "--skills-dir"])
def test_show_with_skills_dir(flag, skilllite, tmp_path):
    write_skill(tmp_path / "x", "found")
    r = skilllite("show", flag, tmp_path / "x", "--json", "found")
    assert r.code == 0, r
    assert r.json()["name"] == "found"


def test_show_with_env_skills_dir(skilllite, tmp_path):
    write_skill(tmp_path / "x", "found")
    r = skilllite("show", "found", env={"SKILLLITE_SKILLS_DIR": str(tmp_path / "x")})
    assert r.code == 0, r


def test_show_bundled_skill(skilllite):
    r = skilllite("show", "-s", SKILLS, "--json", "hash-text")
    assert r.code == 0, r
    out = r.json()
    assert out["kind"] == "standard" and out["language"] == "bash"
    assert out["metadata"]["skilllite.exec"]


def test_show_needs_exactly_one_name(skilllite, tmp_path):
    assert skilllite("show", cwd=tmp_path).code == 2
    assert skilllite("show", "a", "b", cwd=tmp_path).code == 2


def test_non_utf8_directory_name_does_not_break_the_listing(skilllite, tmp_path):
    """One entry named with invalid UTF-8 is listed (as invalid) and the rest still work."""
    write_skill(tmp_path, "fine")
    odd = os.path.join(os.fsencode(tmp_path), b"bad\xfe")
    os.mkdir(odd)
    with open(os.path.join(odd, b"SKILL.md"), "w") as f:
        f.write("---\nname: bad\ndescription: x\n---\n")
    out = list_json(skilllite, "-s", tmp_path)
    assert [s["name"] for s in out["skills"]] == ["bad\ufffd", "fine"]
    assert out["skills"][0]["valid"] is False
    assert out["skills"][0]["path"] == f"{tmp_path}/bad\ufffd"
    # Text output shows the name as is (bytes), so run it without decoding.
    proc = subprocess.run([BIN_DIR / "skilllite", "list", "-s", tmp_path], capture_output=True,
                          env={"PATH": "/usr/bin:/bin", **ASAN_ENV})
    assert proc.returncode == 0, proc
    assert b"bad\xfe " in proc.stdout and b"fine " in proc.stdout


def test_non_utf8_skills_dir(skilllite, tmp_path):
    d = os.path.join(os.fsencode(tmp_path), b"\xff")
    os.mkdir(d)
    r = skilllite("list", "--json", "-s", os.fsdecode(d))
    assert r.code == 2, r
    assert "UTF-8" in r.err


def test_list_text_is_one_safe_line_per_skill(skilllite, tmp_path):
    """Descriptions and names come from untrusted files: no line breaks or terminal escapes."""
    write_skill(tmp_path, "multi", description='"first line\\nsecond line\\r\\x1b[31mred\\x07"')
    write_skill(tmp_path, "a" * 40)
    odd = tmp_path / "esc\x1b[2Jdir"
    odd.mkdir()
    (odd / "SKILL.md").write_text("not a skill\n")
    r = skilllite("list", "-s", tmp_path)
    assert r.code == 0, r
    lines = r.out.split("\n")
    assert lines[-1] == "" and len(lines) == 4, r.out
    assert "\x1b" not in r.out and "\r" not in r.out and "\x07" not in r.out
    assert lines[0].startswith("a" * 40 + " prompt-only   unrecorded  ")
    assert lines[1].startswith("esc [2Jdir               INVALID       unrecorded  ")
    assert lines[2] == "multi                    prompt-only   unrecorded  first line second line  [31mred "
