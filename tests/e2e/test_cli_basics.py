"""The CLI surface every command shares: --version, --help, exit codes for usage errors."""
import re

import pytest

from conftest import SKILLS

COMMANDS = ["validate", "info", "list", "show"]


@pytest.mark.parametrize("binary", ["skilllite", "skilllite-sandbox"])
def test_version(binary, skilllite, skilllite_sandbox):
    r = (skilllite if binary == "skilllite" else skilllite_sandbox)("--version")
    assert r.code == 0, r
    assert re.match(r"skilllite \d+\.\d+\.\d+ \(", r.out)


def test_editions_differ(skilllite, skilllite_sandbox):
    assert "(full)" in skilllite("--version").out
    assert "(sandbox core)" in skilllite_sandbox("--version").out


def test_help_lists_every_command(skilllite):
    r = skilllite("--help")
    assert r.code == 0
    for c in COMMANDS:
        assert re.search(rf"^  {c}\s", r.out, re.M), c


@pytest.mark.parametrize("cmd", COMMANDS)
def test_command_help(cmd, skilllite):
    r = skilllite(cmd, "--help")
    assert r.code == 0, r
    assert r.out.startswith(f"Usage: skilllite {cmd}")


def test_no_command_is_usage_error(skilllite):
    r = skilllite()
    assert r.code == 2
    assert "Usage" in r.err


def test_unknown_command(skilllite):
    r = skilllite("frobnicate")
    assert r.code == 2
    assert "unknown command 'frobnicate'" in r.err


@pytest.mark.parametrize("cmd", ["validate", "info", "show"])
def test_missing_argument_is_usage_error(cmd, skilllite):
    r = skilllite(cmd)
    assert r.code == 2
    assert "Usage: skilllite" in r.err


def test_unknown_option(skilllite):
    r = skilllite("validate", "--bogus", SKILLS / "calculator")
    assert r.code == 2
