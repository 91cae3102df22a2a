"""Shared fixtures of the SDK tests: they drive a real ``skilllite`` binary.

The binary comes from SKILLLITE_BIN (its path) or SKILLLITE_BIN_DIR (the directory
holding ``skilllite``); without one the run fails at once rather than skipping.
Every subprocess gets an explicit, small environment (PATH, LANG, HOME in a temporary
directory, and the sanitizer options when set) so the suite also runs on ASan builds.
"""

from __future__ import annotations

import os
import pathlib
import sys
import textwrap
from typing import Callable, Dict, Iterator, Optional

import pytest

HERE = pathlib.Path(__file__).resolve().parent
PYTHON_DIR = HERE.parent
ROOT = PYTHON_DIR.parent
SKILLS = ROOT / "skills"
CALC = SKILLS / "calculator"

# The package under test is the one in this tree, not an installed copy.
sys.path.insert(0, str(PYTHON_DIR))

SANITIZER_VARS = ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS")


def _find_test_binary() -> str:
    explicit = os.environ.get("SKILLLITE_BIN")
    if explicit:
        path = os.path.abspath(explicit)
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            raise pytest.UsageError(f"SKILLLITE_BIN={explicit!r} is not an executable file")
        return path
    bin_dir = os.environ.get("SKILLLITE_BIN_DIR")
    if bin_dir:
        path = os.path.abspath(os.path.join(bin_dir, "skilllite"))
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            raise pytest.UsageError(f"SKILLLITE_BIN_DIR={bin_dir!r} holds no executable 'skilllite'")
        return path
    raise pytest.UsageError(
        "the SDK tests need a skilllite binary: set SKILLLITE_BIN=/path/to/skilllite "
        "or SKILLLITE_BIN_DIR=/path/to/builddir"
    )


BINARY = ""


def pytest_configure(config: pytest.Config) -> None:
    global BINARY
    BINARY = _find_test_binary()
    # The one-shot functions find the binary through $SKILLLITE_BIN, as users' code does.
    os.environ["SKILLLITE_BIN"] = BINARY


@pytest.fixture(scope="session")
def binary() -> str:
    """Absolute path of the skilllite binary under test."""
    return BINARY


def make_env(home: pathlib.Path, **extra: str) -> Dict[str, str]:
    """A small explicit environment for skilllite subprocesses."""
    home.mkdir(parents=True, exist_ok=True)
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(home)}
    for var in SANITIZER_VARS:
        if var in os.environ:
            env[var] = os.environ[var]
    env.update(extra)
    return env


@pytest.fixture
def env(tmp_path: pathlib.Path) -> Dict[str, str]:
    """The environment to give skilllite processes (HOME is private to the test)."""
    return make_env(tmp_path / "home")


SkillMaker = Callable[..., pathlib.Path]


@pytest.fixture
def make_skill(tmp_path: pathlib.Path) -> SkillMaker:
    """make_skill(name, main_py, description=..., extra_frontmatter=..., files=...) -> skill dir."""

    def make(
        name: str,
        main_py: Optional[str] = None,
        *,
        description: str = "A skill written by the SDK tests.",
        extra_frontmatter: str = "",
        files: Optional[Dict[str, str]] = None,
        parent: Optional[pathlib.Path] = None,
    ) -> pathlib.Path:
        d = (parent or tmp_path / "skills") / name
        (d / "scripts").mkdir(parents=True, exist_ok=True)
        (d / "SKILL.md").write_text(
            f"---\nname: {name}\ndescription: {description}\n{extra_frontmatter}---\n\n# {name}\n"
        )
        if main_py is not None:
            (d / "scripts" / "main.py").write_text(textwrap.dedent(main_py))
        for rel, text in (files or {}).items():
            p = d / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(textwrap.dedent(text))
        return d

    return make


SLOW_MAIN = """\
import json, sys, time
req = json.loads(sys.stdin.read() or "{}")
time.sleep(float(req.get("sleep", 0)))
print(json.dumps({"tag": req.get("tag"), "slept": req.get("sleep", 0)}))
"""


@pytest.fixture
def slow_skill(make_skill: SkillMaker) -> pathlib.Path:
    """A skill that sleeps input["sleep"] seconds, then prints {"tag", "slept"}."""
    return make_skill("slow", SLOW_MAIN, description="Sleeps for a while, then echoes its tag.")


@pytest.fixture
def client(binary: str, env: Dict[str, str]) -> Iterator["object"]:
    """A Client of `skilllite serve` on the bundled skills directory."""
    from skilllite import Client

    c = Client(binary, skills_dir=SKILLS, env=env)
    try:
        yield c
    finally:
        c.close(timeout=60)
