"""`init-cursor`, `init-opencode` and `mcp-config`: the MCP client configuration. Fresh writes
have an exact shape; existing files are merged (only our entry changes); unparseable files and
symlinks are refused; --dry-run writes nothing; untrusted skill descriptions stay on one line."""
import json
import os
import stat

import pytest

from conftest import BIN_DIR

SERVER_BIN = os.path.realpath(BIN_DIR / "skilllite")
HOSTILE = [
    "line one\nline two",
    "red \x1b[31mALERT\x1b[0m and \x1b]0;title\x07 bell",
    "carriage\rreturn and tab\there",
    "bidi \u202egnp.exe\u202c and zero width \u200f mark",
    "c1 csi \u009b31m and next \u0085 line",
    "unicode line\u2028separator and para\u2029graph",
]
CONTROL = {chr(c) for c in range(0x20) if c != 0x0A} | {chr(0x7F)} | {chr(c) for c in range(0x80, 0xA0)} \
    | {"\u2028", "\u2029", "\u202e", "\u202c", "\u200f"}


def yaml_dq(s):
    """A YAML double-quoted scalar for any text (JSON escapes are valid YAML escapes)."""
    return json.dumps(s, ensure_ascii=True)


def write_skill(root, name, description="A skill."):
    d = root / name
    d.mkdir(parents=True, exist_ok=True)
    (d / "SKILL.md").write_text(f"---\nname: {name}\ndescription: {yaml_dq(description)}\n---\n# {name}\n")
    return d


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "proj"
    write_skill(root / ".skills", "alpha", "First skill.")
    write_skill(root / ".skills", "beta", "Second skill.")
    return root


def env_block(skills_dir):
    return {"SKILLLITE_SANDBOX_LEVEL": "3", "SKILLLITE_SKILLS_DIR": str(skills_dir)}


def cursor_entry(skills_dir, command=SERVER_BIN):
    return {"command": command, "args": ["mcp"], "env": env_block(skills_dir)}


def opencode_entry(skills_dir, command=SERVER_BIN):
    return {"type": "local", "command": [command, "mcp"], "environment": env_block(skills_dir),
            "enabled": True}


def mode(p):
    return stat.S_IMODE(os.lstat(p).st_mode)


def tree(root):
    """Every path under root with its content (files), target (symlinks) or None (dirs)."""
    out = {}
    for dirpath, dirs, files in os.walk(root):
        for n in dirs + files:
            p = os.path.join(dirpath, n)
            if os.path.islink(p):
                out[p] = ("link", os.readlink(p))
            elif os.path.isdir(p):
                out[p] = None
            else:
                out[p] = open(p, "rb").read()
    return out


# ---- init-cursor ----------------------------------------------------------------------------

def test_cursor_fresh_write_exact_shape_and_modes(skilllite, project):
    old = os.umask(0o077)  # the files are for the IDE to read: 0644/0755 whatever the umask
    try:
        r = skilllite("init-cursor", cwd=project)
    finally:
        os.umask(old)
    assert r.code == 0, r
    cfg_path = project / ".cursor" / "mcp.json"
    assert json.loads(cfg_path.read_text()) == {"mcpServers": {"skilllite": cursor_entry(project / ".skills")}}
    assert cfg_path.read_text().endswith("}\n")
    rules = project / ".cursor" / "rules" / "skilllite.mdc"
    assert mode(cfg_path) == 0o644 and mode(rules) == 0o644
    assert mode(project / ".cursor") == 0o755 and mode(project / ".cursor" / "rules") == 0o755
    # no temp file left behind
    assert sorted(os.listdir(project / ".cursor")) == ["mcp.json", "rules"]
    assert os.listdir(project / ".cursor" / "rules") == ["skilllite.mdc"]
    text = rules.read_text()
    assert text.startswith("---\ndescription: ")
    assert "\nalwaysApply: false\n---\n" in text
    for tool in ("list_skills", "get_skill_info", "run_skill", "scan_code", "execute_code"):
        assert f"`{tool}`" in text
    assert "- **alpha**: First skill.\n" in text
    assert "- **beta**: Second skill.\n" in text
    assert f"Skills directory: `{project / '.skills'}`" in text
    # summary
    assert f"wrote {cfg_path}" in r.out and f"wrote {rules}" in r.out
    assert f"{SERVER_BIN} mcp" in r.out and "(2 skills)" in r.out


def test_cursor_command_and_skills_dir_options(skilllite, project, tmp_path):
    other = tmp_path / "elsewhere"
    write_skill(other, "gamma", "Third.")
    r = skilllite("init-cursor", "--command", "skilllite", "-s", "../elsewhere", cwd=project)
    assert r.code == 0, r
    cfg = json.loads((project / ".cursor/mcp.json").read_text())
    # relative -s is made absolute against the current directory ("." and ".." kept lexically)
    assert cfg["mcpServers"]["skilllite"] == cursor_entry(f"{project}/../elsewhere", command="skilllite")
    rules = (project / ".cursor/rules/skilllite.mdc").read_text()
    assert "- **gamma**: Third." in rules and "alpha" not in rules


def test_skills_dir_from_env_then_default(skilllite, tmp_path):
    proj = tmp_path / "p"
    write_skill(proj / "skills", "only-plain")
    # only ./skills exists: the default follows `list`
    r = skilllite("mcp-config", "cursor", cwd=proj)
    assert r.code == 0, r
    assert r.json()["mcpServers"]["skilllite"]["env"]["SKILLLITE_SKILLS_DIR"] == f"{proj}/skills"
    r = skilllite("mcp-config", "cursor", cwd=proj, env={"SKILLLITE_SKILLS_DIR": "./x/./y/"})
    assert r.json()["mcpServers"]["skilllite"]["env"]["SKILLLITE_SKILLS_DIR"] == f"{proj}/x/y"
    r = skilllite("mcp-config", "cursor", "-s", "/abs//dir/", cwd=proj, env={"SKILLLITE_SKILLS_DIR": "x"})
    assert r.json()["mcpServers"]["skilllite"]["env"]["SKILLLITE_SKILLS_DIR"] == "/abs/dir"
    # nothing exists: ./.skills, reported as not existing yet
    empty = tmp_path / "empty"
    empty.mkdir()
    r = skilllite("init-cursor", cwd=empty)
    assert r.code == 0, r
    assert json.loads((empty / ".cursor/mcp.json").read_text())["mcpServers"]["skilllite"]["env"] == \
        env_block(empty / ".skills")
    assert "does not exist yet" in r.out
    assert "No skills are installed yet" in (empty / ".cursor/rules/skilllite.mdc").read_text()


def test_cursor_merge_preserves_everything_else(skilllite, project):
    existing = {
        "mcpServers": {
            "github": {"command": "npx", "args": ["-y", "@mcp/github"],
                       "env": {"GITHUB_TOKEN": "ghp_secret", "N": 1.5}},
            "skilllite": {"command": "old", "args": ["old"], "extra": True},
            "zz-last": {"url": "http://localhost:1/mcp", "headers": {}},
        },
        "otherTopLevel": [1, 2.25, None, False, {"nested": "ünïcödé ☃"}],
        "big": 9007199254740993,
    }
    cfg_path = project / ".cursor/mcp.json"
    cfg_path.parent.mkdir()
    cfg_path.write_text(json.dumps(existing, ensure_ascii=False))
    r = skilllite("init-cursor", cwd=project)
    assert r.code == 0, r
    assert "kept 2 other servers" in r.out
    got = json.loads(cfg_path.read_text())
    want = json.loads(json.dumps(existing))
    want["mcpServers"]["skilllite"] = cursor_entry(project / ".skills")
    assert got == want
    # order kept: our entry stays where the old one was, other keys where they were
    assert list(got) == ["mcpServers", "otherTopLevel", "big"]
    assert list(got["mcpServers"]) == ["github", "skilllite", "zz-last"]
    # idempotent
    before = cfg_path.read_bytes()
    assert skilllite("init-cursor", cwd=project).code == 0
    assert cfg_path.read_bytes() == before


def test_cursor_merge_adds_section_when_missing(skilllite, project):
    cfg_path = project / ".cursor/mcp.json"
    cfg_path.parent.mkdir()
    cfg_path.write_text('{"theme": "dark"}')
    assert skilllite("init-cursor", cwd=project).code == 0
    assert json.loads(cfg_path.read_text()) == {
        "theme": "dark", "mcpServers": {"skilllite": cursor_entry(project / ".skills")}}


def test_cursor_existing_mode_kept(skilllite, project):
    """mcp.json often holds other servers' tokens: a 0600 file must not become world-readable."""
    cfg_path = project / ".cursor/mcp.json"
    cfg_path.parent.mkdir()
    cfg_path.write_text('{"mcpServers": {"x": {"env": {"TOKEN": "s"}}}}')
    os.chmod(cfg_path, 0o600)
    assert skilllite("init-cursor", cwd=project).code == 0
    assert mode(cfg_path) == 0o600
    assert json.loads(cfg_path.read_text())["mcpServers"]["x"] == {"env": {"TOKEN": "s"}}


@pytest.mark.parametrize("content", [
    "{not json",
    '{"mcpServers": {}} trailing',
    '{"a": 1, "a": 2}',            # duplicate keys: which one was meant?
    "[1, 2]",                      # not an object
    '"a string"',
    '{"mcpServers": [1]}',         # our section is not an object
    '{"mcpServers": "x"}',
    "// comment\n{}",
])
def test_cursor_unparseable_refused_then_force(skilllite, project, content):
    cfg_path = project / ".cursor/mcp.json"
    cfg_path.parent.mkdir()
    cfg_path.write_text(content)
    r = skilllite("init-cursor", cwd=project)
    assert r.code == 2, r
    assert "--force" in r.err and str(cfg_path) in r.err
    assert cfg_path.read_text() == content
    assert not (project / ".cursor/rules").exists()   # nothing written at all
    r = skilllite("init-cursor", "--force", cwd=project)
    assert r.code == 0, r
    got = json.loads(cfg_path.read_text())
    assert got["mcpServers"]["skilllite"] == cursor_entry(project / ".skills")
    if content.startswith('{"mcpServers": ') and "trailing" not in content:
        assert list(got) == ["mcpServers"] and list(got["mcpServers"]) == ["skilllite"]
    assert (project / ".cursor/rules/skilllite.mdc").exists()


def test_cursor_force_keeps_other_keys_when_only_section_is_bad(skilllite, project):
    cfg_path = project / ".cursor/mcp.json"
    cfg_path.parent.mkdir()
    cfg_path.write_text('{"keep": {"me": true}, "mcpServers": 42}')
    assert skilllite("init-cursor", cwd=project).code == 2
    assert skilllite("init-cursor", "--force", cwd=project).code == 0
    assert json.loads(cfg_path.read_text()) == {
        "keep": {"me": True}, "mcpServers": {"skilllite": cursor_entry(project / ".skills")}}


@pytest.mark.parametrize("content", ["", "  \n\t\n"])
def test_cursor_empty_file_is_fresh(skilllite, project, content):
    cfg_path = project / ".cursor/mcp.json"
    cfg_path.parent.mkdir()
    cfg_path.write_text(content)
    assert skilllite("init-cursor", cwd=project).code == 0
    assert json.loads(cfg_path.read_text()) == {"mcpServers": {"skilllite": cursor_entry(project / ".skills")}}


@pytest.mark.parametrize("force", [False, True])
def test_cursor_symlink_config_refused(skilllite, project, tmp_path, force):
    victim = tmp_path / "victim.json"
    victim.write_text('{"mcpServers": {}}')
    (project / ".cursor").mkdir()
    os.symlink(victim, project / ".cursor/mcp.json")
    before = tree(tmp_path)
    r = skilllite("init-cursor", *(["--force"] if force else []), cwd=project)
    assert r.code == 3, r
    assert "symbolic link" in r.err
    assert tree(tmp_path) == before


def test_cursor_dangling_symlink_refused(skilllite, project, tmp_path):
    (project / ".cursor").mkdir()
    os.symlink(tmp_path / "would-be-created", project / ".cursor/mcp.json")
    r = skilllite("init-cursor", cwd=project)
    assert r.code == 3, r
    assert not (tmp_path / "would-be-created").exists()


def test_cursor_symlink_rules_file_refused_before_any_write(skilllite, project, tmp_path):
    victim = tmp_path / "bashrc"
    victim.write_text("echo hi\n")
    (project / ".cursor/rules").mkdir(parents=True)
    os.symlink(victim, project / ".cursor/rules/skilllite.mdc")
    r = skilllite("init-cursor", cwd=project)
    assert r.code == 3, r
    assert victim.read_text() == "echo hi\n"
    assert not (project / ".cursor/mcp.json").exists()   # planned, refused, nothing written


def test_cursor_directory_at_config_path(skilllite, project):
    (project / ".cursor/mcp.json").mkdir(parents=True)
    r = skilllite("init-cursor", cwd=project)
    assert r.code == 2, r
    assert "not a regular file" in r.err


def test_cursor_oversized_config_refused(skilllite, project):
    cfg_path = project / ".cursor/mcp.json"
    cfg_path.parent.mkdir()
    cfg_path.write_text('{"x": "' + "a" * (5 << 20) + '"}')
    r = skilllite("init-cursor", cwd=project)
    assert r.code == 2, r
    assert cfg_path.stat().st_size > 5 << 20


def test_cursor_global(skilllite, project, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    r = skilllite("init-cursor", "--global", "-s", "myskills", cwd=project, env={"HOME": str(home)})
    assert r.code == 0, r
    cfg = json.loads((home / ".cursor/mcp.json").read_text())
    assert cfg == {"mcpServers": {"skilllite": cursor_entry(project / "myskills")}}
    assert sorted(os.listdir(home / ".cursor")) == ["mcp.json"]   # no rules file globally
    assert not (project / ".cursor").exists()
    assert mode(home / ".cursor") == 0o755
    # merge in the global file too
    (home / ".cursor/mcp.json").write_text('{"mcpServers": {"a": {"command": "a"}}}')
    assert skilllite("init-cursor", "--global", cwd=project, env={"HOME": str(home)}).code == 0
    assert list(json.loads((home / ".cursor/mcp.json").read_text())["mcpServers"]) == ["a", "skilllite"]


@pytest.mark.parametrize("home", [None, "", "relative/home"])
def test_cursor_global_needs_absolute_home(skilllite, project, home):
    env = {} if home is None else {"HOME": home}
    r = skilllite("init-cursor", "--global", cwd=project, env=env)
    assert r.code == 2, r
    assert "HOME" in r.err


def test_cursor_dry_run_writes_nothing(skilllite, project):
    cfg_path = project / ".cursor/mcp.json"
    before = tree(project)
    r = skilllite("init-cursor", "--dry-run", cwd=project)
    assert r.code == 0, r
    assert tree(project) == before
    assert not (project / ".cursor").exists()
    assert f"Would write {cfg_path} (mode 0644):\n" in r.out
    assert "Dry run: nothing was written." in r.out
    # the JSON shown is what would be written
    start = r.out.index(":\n", r.out.index("Would write")) + 2
    shown, _ = json.JSONDecoder().raw_decode(r.out[start:])
    assert shown == {"mcpServers": {"skilllite": cursor_entry(project / ".skills")}}
    assert "- **alpha**: First skill." in r.out
    # an existing file: merged in the preview, untouched on disk
    cfg_path.parent.mkdir()
    cfg_path.write_text('{"mcpServers": {"o": {}}}')
    before = tree(project)
    r = skilllite("init-cursor", "-n", cwd=project)
    assert r.code == 0, r
    assert tree(project) == before
    assert '"o": {}' in r.out
    # the refusals apply to a dry run too
    cfg_path.write_text("{")
    assert skilllite("init-cursor", "--dry-run", cwd=project).code == 2


def test_rules_file_hostile_descriptions(skilllite, tmp_path):
    proj = tmp_path / "p"
    for i, desc in enumerate(HOSTILE):
        write_skill(proj / ".skills", f"evil-{i}", desc)
    # an invalid skill is not listed
    bad = proj / ".skills" / "broken"
    bad.mkdir()
    (bad / "SKILL.md").write_text("no front matter\n")
    r = skilllite("init-cursor", cwd=proj)
    assert r.code == 0, r
    text = (proj / ".cursor/rules/skilllite.mdc").read_text()
    assert not (set(text) & CONTROL), [c for c in text if c in CONTROL]
    items = [ln for ln in text.split("\n") if ln.startswith("- **")]
    assert len(items) == len(HOSTILE)
    assert "broken" not in text
    by_name = {ln.split("**")[1]: ln.split("**: ", 1)[1] for ln in items}
    assert by_name["evil-0"] == "line one line two"
    assert by_name["evil-1"] == "red [31mALERT [0m and ]0;title bell"
    assert by_name["evil-2"] == "carriage return and tab here"
    assert by_name["evil-3"] == "bidi gnp.exe and zero width mark"
    assert by_name["evil-4"] == "c1 csi 31m and next line"
    assert by_name["evil-5"] == "unicode line separator and para graph"
    # same for OpenCode's SKILL.md, which must stay a valid skill
    r = skilllite("init-opencode", cwd=proj)
    assert r.code == 0, r
    md = (proj / ".opencode/skills/skilllite/SKILL.md").read_text()
    assert not (set(md) & CONTROL)
    assert len([ln for ln in md.split("\n") if ln.startswith("- **evil-")]) == len(HOSTILE)
    v = skilllite("validate", "--json", proj / ".opencode/skills/skilllite")
    assert v.code == 0 and v.json()["valid"] and v.json()["warnings"] == [], v


def test_many_skills_list_is_capped(skilllite, tmp_path):
    proj = tmp_path / "p"
    n = 300
    for i in range(n):
        write_skill(proj / ".skills", f"s{i:03d}", "é" * 1000)   # 2000 bytes each: 600 kB in all
    r = skilllite("init-opencode", cwd=proj, timeout=120)
    assert r.code == 0, r
    md_path = proj / ".opencode/skills/skilllite/SKILL.md"
    md = md_path.read_text()
    listed = [ln for ln in md.split("\n") if ln.startswith("- **s")]
    assert 0 < len(listed) < n
    assert f"- ... and {n - len(listed)} more (`skilllite list` shows them all)" in md
    assert md_path.stat().st_size < 1 << 20
    v = skilllite("validate", md_path.parent)
    assert v.code == 0, v
    assert f"({n} skills)" in r.out


# ---- init-opencode --------------------------------------------------------------------------

def test_opencode_fresh_exact_shape_and_valid_skill(skilllite, project):
    r = skilllite("init-opencode", cwd=project)
    assert r.code == 0, r
    cfg_path = project / "opencode.json"
    assert json.loads(cfg_path.read_text()) == {
        "$schema": "https://opencode.ai/config.json",
        "mcp": {"skilllite": opencode_entry(project / ".skills")},
    }
    assert list(json.loads(cfg_path.read_text())) == ["$schema", "mcp"]
    md_path = project / ".opencode/skills/skilllite/SKILL.md"
    assert mode(cfg_path) == 0o644 and mode(md_path) == 0o644
    for d in (".opencode", ".opencode/skills", ".opencode/skills/skilllite"):
        assert mode(project / d) == 0o755
    v = skilllite("validate", "--json", md_path.parent)
    assert v.code == 0, v
    out = v.json()
    assert out["valid"] and out["warnings"] == [] and out["skill"]["name"] == "skilllite"
    assert out["skill"]["description"]
    md = md_path.read_text()
    for tool in ("list_skills", "get_skill_info", "run_skill", "scan_code", "execute_code"):
        assert f"`skilllite_{tool}`" in md
        assert f"skilllite_{tool}" in r.out
    assert "- **alpha**: First skill." in md
    # the skill does not show up among the project's skills (it lives elsewhere)
    lst = skilllite("list", "--json", cwd=project).json()
    assert sorted(s["name"] for s in lst["skills"]) == ["alpha", "beta"]


def test_opencode_merge_preserves_keys(skilllite, project):
    existing = {
        "$schema": "https://example.invalid/custom.json",
        "theme": "opencode",
        "mcp": {"other": {"type": "remote", "url": "https://x.invalid/mcp"},
                "skilllite": {"type": "local", "command": ["old"]}},
        "provider": {"anthropic": {"options": {"timeout": 600000}}},
    }
    cfg_path = project / "opencode.json"
    cfg_path.write_text(json.dumps(existing, indent=4))
    r = skilllite("init-opencode", "--command", "skilllite", cwd=project)
    assert r.code == 0, r
    got = json.loads(cfg_path.read_text())
    want = dict(existing)
    want["mcp"] = {"other": existing["mcp"]["other"],
                   "skilllite": opencode_entry(project / ".skills", command="skilllite")}
    assert got == want
    assert list(got) == list(existing)   # $schema not rewritten, order kept


def test_opencode_adds_mcp_without_schema_to_existing(skilllite, project):
    cfg_path = project / "opencode.json"
    cfg_path.write_text('{"model": "x/y"}')
    assert skilllite("init-opencode", cwd=project).code == 0
    assert json.loads(cfg_path.read_text()) == {
        "model": "x/y", "mcp": {"skilllite": opencode_entry(project / ".skills")}}


def test_opencode_unparseable_and_symlink(skilllite, project, tmp_path):
    cfg_path = project / "opencode.json"
    cfg_path.write_text("{,}")
    r = skilllite("init-opencode", cwd=project)
    assert r.code == 2, r
    assert cfg_path.read_text() == "{,}" and not (project / ".opencode").exists()
    assert skilllite("init-opencode", "--force", cwd=project).code == 0
    assert json.loads(cfg_path.read_text())["$schema"] == "https://opencode.ai/config.json"
    # a symlinked SKILL.md
    victim = tmp_path / "victim"
    victim.write_text("keep")
    md = project / ".opencode/skills/skilllite/SKILL.md"
    md.unlink()
    os.symlink(victim, md)
    cfg_before = cfg_path.read_bytes()
    r = skilllite("init-opencode", "--force", cwd=project)
    assert r.code == 3, r
    assert victim.read_text() == "keep" and cfg_path.read_bytes() == cfg_before


def test_opencode_dry_run(skilllite, project):
    before = tree(project)
    r = skilllite("init-opencode", "--dry-run", cwd=project)
    assert r.code == 0, r
    assert tree(project) == before
    assert f"Would write {project / 'opencode.json'}" in r.out
    assert f"Would write {project / '.opencode/skills/skilllite/SKILL.md'}" in r.out
    assert "name: skilllite\n" in r.out


# ---- mcp-config and the command line ---------------------------------------------------------

@pytest.mark.parametrize("client", ["claude", "claude-desktop", "cursor"])
def test_mcp_config_stdio_snippet(skilllite, project, client):
    before = tree(project)
    r = skilllite("mcp-config", client, cwd=project)
    assert r.code == 0, r
    assert r.json() == {"mcpServers": {"skilllite": cursor_entry(project / ".skills")}}
    assert tree(project) == before


def test_mcp_config_opencode_and_command(skilllite, project):
    r = skilllite("mcp-config", "--command", "/opt/bin/skilllite", "-s", "/srv/skills", "opencode",
                  cwd=project)
    assert r.code == 0, r
    assert r.json() == {"$schema": "https://opencode.ai/config.json",
                        "mcp": {"skilllite": opencode_entry("/srv/skills", command="/opt/bin/skilllite")}}


@pytest.mark.parametrize("args", [
    ["mcp-config"],
    ["mcp-config", "vscode"],
    ["mcp-config", "claude", "cursor"],
    ["mcp-config", "--force", "claude"],
    ["mcp-config", "--dry-run", "claude"],
    ["mcp-config", "--command", "", "claude"],
    ["init-cursor", "extra-arg"],
    ["init-cursor", "--bogus"],
    ["init-cursor", "-s", ""],
    ["init-opencode", "--global"],
])
def test_usage_errors(skilllite, project, args):
    before = tree(project)
    r = skilllite(*args, cwd=project)
    assert r.code == 2, r
    assert tree(project) == before


def test_help_and_both_binaries(skilllite, skilllite_sandbox, project):
    for cmd in ("init-cursor", "init-opencode", "mcp-config"):
        r = skilllite(cmd, "--help")
        assert r.code == 0 and f"Usage: skilllite {cmd}" in r.out, r
        assert cmd in skilllite("--help").out
    r = skilllite_sandbox("init-cursor", cwd=project)
    assert r.code == 0, r
    cfg = json.loads((project / ".cursor/mcp.json").read_text())
    assert cfg["mcpServers"]["skilllite"]["command"] == os.path.realpath(BIN_DIR / "skilllite-sandbox")
    r = skilllite_sandbox("mcp-config", "claude", cwd=project)
    assert r.code == 0 and r.json()["mcpServers"]["skilllite"]["args"] == ["mcp"], r
