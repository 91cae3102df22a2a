"""Shared fixtures for the end-to-end tests: they drive the real binaries.

SKILLLITE_BIN_DIR selects the build (release or ASan); tests never depend on PATH."""
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN_DIR = pathlib.Path(os.environ.get("SKILLLITE_BIN_DIR", ROOT / "build"))
SKILLS = ROOT / "skills"


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"<exit {self.code}\nstdout: {self.out}\nstderr: {self.err}>"


def _run(binary, *args, input=None, cwd=None, env=None, timeout=60):
    full_env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    for keep in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if keep in os.environ:
            full_env[keep] = os.environ[keep]
    if env:
        full_env.update(env)
    proc = subprocess.run(
        [str(BIN_DIR / binary), *map(str, args)],
        input=input,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full_env,
        timeout=timeout,
    )
    return Result(proc)


@pytest.fixture
def skilllite():
    """Run the full binary: skilllite(*args, input=..., cwd=..., env=...) -> Result."""
    return lambda *a, **kw: _run("skilllite", *a, **kw)


@pytest.fixture
def skilllite_sandbox():
    return lambda *a, **kw: _run("skilllite-sandbox", *a, **kw)


@pytest.fixture
def skills(tmp_path):
    """A private copy of the bundled skills (tests that add, change or install into it)."""
    import shutil
    d = tmp_path / "skills"
    shutil.copytree(SKILLS, d, symlinks=True)
    return d


@pytest.fixture
def make_skill(tmp_path):
    """Write a skill: make_skill("name", front_matter_text, files={"scripts/main.py": "..."})."""

    def make(dirname, front_matter, body="# Skill\n", files=None, raw=None):
        d = tmp_path / dirname
        d.mkdir(parents=True, exist_ok=True)
        if raw is not None:
            (d / "SKILL.md").write_bytes(raw)
        else:
            (d / "SKILL.md").write_text(f"---\n{front_matter}---\n{body}")
        for rel, content in (files or {}).items():
            p = d / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                p.write_bytes(content)
            else:
                p.write_text(content)
        return d

    return make


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: long-running (still part of make test)")


_NOBODY_COPY = None


def nobody_copy():
    """(bin_dir, skills_dir): world-readable copies of the binaries and the bundled skills, for
    tests that run the engine as uid 65534. The checkout itself may sit under a directory that
    user cannot enter (CI clones into a private temp dir)."""
    global _NOBODY_COPY
    if _NOBODY_COPY is None:
        import atexit
        import shutil
        import tempfile
        top = pathlib.Path(tempfile.mkdtemp(prefix="skilllite-nobody-"))
        os.chmod(top, 0o755)
        bin_dir = top / "bin"
        bin_dir.mkdir(mode=0o755)
        for name in ("skilllite", "skilllite-sandbox"):
            if (BIN_DIR / name).exists():
                shutil.copy2(BIN_DIR / name, bin_dir / name)
                os.chmod(bin_dir / name, 0o755)
        skills = top / "skills"
        shutil.copytree(SKILLS, skills, symlinks=True)
        for d, _, files in os.walk(top):
            os.chmod(d, 0o755)
            for f in files:
                p = os.path.join(d, f)
                if not os.path.islink(p):
                    os.chmod(p, os.stat(p).st_mode | 0o444)
        atexit.register(shutil.rmtree, top, ignore_errors=True)
        _NOBODY_COPY = (bin_dir, skills)
    return _NOBODY_COPY
