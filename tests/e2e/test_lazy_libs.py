"""Libraries the engine loads on first use (src/base/lazylib.h): not linked, so the dynamic loader
does not map and relocate them at every start, and a plain run does not load them at all."""
import re
import subprocess

import pytest

from conftest import BIN_DIR, SKILLS

LAZY = ("libcrypto", "libsqlite3", "libarchive", "libcurl", "libgit2")


@pytest.mark.parametrize("binary", ["skilllite", "skilllite-sandbox"])
def test_lazy_libraries_are_not_linked(binary):
    out = subprocess.run(["readelf", "-d", str(BIN_DIR / binary)], capture_output=True, text=True,
                         check=True).stdout
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)
    assert needed, out
    assert not [n for n in needed if n.startswith(LAZY)], needed


def _loaded(skilllite, *args, env=None):
    r = skilllite(*args, env={"LD_DEBUG": "files", **(env or {})})
    return r, set(re.findall(r"file=(lib[a-z0-9]+)[^ ]* \[0\];\s+dynamically loaded", r.err))


def test_a_run_with_no_state_db_loads_neither_crypto_nor_sqlite(skilllite, tmp_path):
    r, loaded = _loaded(skilllite, "run", "--sandbox-level", "2", SKILLS / "calculator",
                        '{"operation": "add", "a": 1, "b": 2}',
                        env={"SKILLLITE_STATE_DB": str(tmp_path / "none.db")})
    assert '{"result": 3}' in r.out, r
    assert not loaded & {"libcrypto", "libsqlite3"}, loaded


def test_the_integrity_check_still_loads_sqlite_when_a_state_db_exists(skilllite, tmp_path):
    """The shortcut is only for a DB that does not exist: with one, the run looks the skill up."""
    db = tmp_path / "state.db"
    env = {"SKILLLITE_STATE_DB": str(db), "HOME": str(tmp_path), "SKILLLITE_SKILLS_DIR": str(tmp_path / "skills")}
    r = skilllite("init", env=env)
    assert r.code == 0 and db.exists(), r
    r, loaded = _loaded(skilllite, "run", "--json", "--sandbox-level", "2", SKILLS / "calculator",
                        '{"operation": "add", "a": 1, "b": 2}', env=env)
    assert "libsqlite3" in loaded, r.err[-2000:]
    assert '"integrity":{"status":"unrecorded"' in r.out.replace(" ", ""), r.out


def test_hashing_and_the_integrity_mac_need_no_libcrypto(skilllite, tmp_path):
    """SHA-256 and HMAC are our own code (src/base/sha256.c): an installed skill's run - tree hash,
    record MAC - and a level-3 run - skill hash for the scan cache - load no libcrypto, whose
    start-up alone costs a process ~9 M instructions."""
    env = {"SKILLLITE_STATE_DB": str(tmp_path / "state.db"), "HOME": str(tmp_path),
           "SKILLLITE_SKILLS_DIR": str(tmp_path / "skills")}
    assert skilllite("init", env=env).code == 0
    r, loaded = _loaded(skilllite, "run", "--json", "--yes", tmp_path / "skills" / "calculator",
                        '{"operation": "add", "a": 1, "b": 2}', env=env)
    assert '"integrity":{"status":"verified"' in r.out.replace(" ", ""), r.out
    assert '"scan":{"performed":true' in r.out.replace(" ", ""), r.out
    assert '"result":3' in r.out.replace(" ", ""), r.out
    assert "libcrypto" not in loaded, loaded


def test_a_scan_with_no_advisory_db_does_not_load_sqlite(skilllite, tmp_path):
    """No advisory DB: nothing to open, so libsqlite3 stays unloaded - also by the cleanup of the
    attempt (sqlite3_close(NULL) used to load it: 1.5 M instructions, half of a typical scan)."""
    env = {"HOME": str(tmp_path), "SKILLLITE_ADVISORY_DB": str(tmp_path / "none.db")}
    r, loaded = _loaded(skilllite, "scan", "--json", SKILLS / "calculator", env=env)
    assert r.code == 0 and '"verdict"' in r.out, r
    assert "libsqlite3" not in loaded, loaded
    r, loaded = _loaded(skilllite, "run", "--yes", "--sandbox-level", "3", SKILLS / "calculator",
                        '{"operation": "add", "a": 1, "b": 2}',
                        env={**env, "SKILLLITE_STATE_DB": str(tmp_path / "none-state.db")})
    assert '{"result": 3}' in r.out, r
    assert "libsqlite3" not in loaded, loaded
