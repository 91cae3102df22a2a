"""The security corpus (tests/security): every attack must be BLOCKED and every benign case PASS.

Runs tests/security/run.py with the system python3, once as the invoking user (root in CI) and
once as an unprivileged user (uid 65534 via setpriv). SKILLLITE_BIN_DIR selects the build."""
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "security"
BIN = pathlib.Path(os.environ.get("SKILLLITE_BIN_DIR", ROOT / "build")) / "skilllite"
PYTHON = "/usr/bin/python3"
TIMEOUT = 600


def _env(home):
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(home)}
    for keep in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if keep in os.environ:
            env[keep] = os.environ[keep]
    return env


def _report(proc):
    return "exit %d\n--- stdout (tail)\n%s\n--- stderr (tail)\n%s" % (
        proc.returncode, proc.stdout[-12000:], proc.stderr[-4000:])


def _last_line(out):
    lines = [l for l in out.splitlines() if l.strip()]
    return lines[-1] if lines else ""


@pytest.fixture(scope="module")
def binary():
    if not BIN.exists():
        pytest.skip("no skilllite binary at %s" % BIN)
    return BIN


def test_security_corpus_as_root(binary, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("the root pass needs root")
    proc = subprocess.run([PYTHON, str(CORPUS / "run.py"), "--bin", str(binary), "--jobs", "2"],
                          cwd=str(tmp_path), env=_env(tmp_path), capture_output=True, text=True,
                          timeout=TIMEOUT)
    assert _last_line(proc.stdout).startswith("security: "), _report(proc)
    assert proc.returncode == 0, _report(proc)


def test_security_corpus_unprivileged(binary):
    if os.geteuid() != 0:
        pytest.skip("switching to uid 65534 needs root")
    if not shutil.which("setpriv"):
        pytest.skip("setpriv is not installed")
    work = pathlib.Path(tempfile.mkdtemp(prefix="skilllite-seccorpus-"))
    try:
        os.chmod(work, 0o755)
        # the checkout may not be enterable by uid 65534 (CI clones into a private dir):
        # run a world-usable copy of the binary
        shutil.copy2(binary, work / binary.name)
        os.chmod(work / binary.name, 0o755)
        binary = work / binary.name
        copy = work / "security"
        # a private copy: world-readable, owned by root (the probes must not be able to edit it)
        shutil.copytree(CORPUS, copy, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", "RESULTS.md", "*.json.out"))
        for d, dirs, files in os.walk(copy):
            os.chmod(d, 0o755)
            for f in files:
                p = os.path.join(d, f)
                if not os.path.islink(p):
                    os.chmod(p, 0o755 if f.endswith(".sh") or f == "run.py" else 0o644)
        home = work / "home"
        home.mkdir()
        os.chown(home, 65534, 65534)
        proc = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
             PYTHON, str(copy / "run.py"), "--bin", str(binary), "--jobs", "2"],
            cwd=str(home), env=_env(home), capture_output=True, text=True, timeout=TIMEOUT)
        assert _last_line(proc.stdout).startswith("security: "), _report(proc)
        assert proc.returncode == 0, _report(proc)
    finally:
        shutil.rmtree(work, ignore_errors=True)
