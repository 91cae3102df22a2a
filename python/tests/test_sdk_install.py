"""`pip install ./python` works offline (no index, no build isolation) and the result imports and runs."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys
import textwrap
from typing import Dict

from conftest import CALC, PYTHON_DIR


def test_offline_install_into_a_venv(tmp_path: pathlib.Path, binary: str, env: Dict[str, str]) -> None:
    # Build from a copy so that the build leaves nothing in the source tree.
    src = tmp_path / "src"
    shutil.copytree(PYTHON_DIR, src, ignore=shutil.ignore_patterns(
        "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", "tests"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True, env=env, timeout=120)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-build-isolation", "--no-index",
                          "--no-cache-dir", str(src)],
                         capture_output=True, text=True, env=env, timeout=300)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    assert "Successfully installed skilllite-0.1.0" in pip.stdout

    probe = textwrap.dedent(f"""\
        import json, os, sys
        import skilllite
        here = os.path.dirname(skilllite.__file__)
        assert here.startswith({str(venv)!r}), here
        assert os.path.isfile(os.path.join(here, "py.typed"))
        r = skilllite.run_skill({str(CALC)!r}, {{"operation": "add", "a": 2, "b": 3}}, sandbox_level=2)
        print(json.dumps({{"version": skilllite.__version__, "ok": r.ok, "output": r.output}}))
    """)
    run_env = {**env, "SKILLLITE_BIN": binary}
    out = subprocess.run([str(venv / "bin" / "python"), "-c", probe], cwd=tmp_path,
                         capture_output=True, text=True, env=run_env, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip().splitlines()[-1] == '{"version": "0.1.0", "ok": true, "output": {"result": 5}}'
