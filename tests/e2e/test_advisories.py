"""`advisories`: importing OSV data (a directory, a zip as OSV publishes it, one file) into the
offline database, its status, and checking one package as a scan would."""
import json
import os
import pathlib
import stat
import zipfile

import pytest

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "unit" / "data" / "osv"


@pytest.fixture
def adv(skilllite, tmp_path):
    """Run `skilllite advisories ...` against a database in tmp_path."""
    db = tmp_path / "db" / "advisories.db"

    def run(*args, env=None, binary=skilllite):
        full = {"SKILLLITE_ADVISORY_DB": str(db), "HOME": str(tmp_path)}
        full.update(env or {})
        return binary("advisories", *args, env=full)

    run.db = db
    return run


def osv(id_, name, eco="PyPI", modified="2099-01-01T00:00:00Z", **affected):
    return json.dumps({"id": id_, "modified": modified, "summary": f"{name} advisory",
                       "affected": [{"package": {"ecosystem": eco, "name": name}, **affected}]})


def test_import_directory_status_and_check(adv):
    r = adv("import", "--json", FIXTURES)
    assert r.code == 0, r
    s = r.json()
    assert s["database"] == str(adv.db)
    assert (s["documents"], s["imported"], s["replaced"], s["unchanged"]) == (18, 9, 0, 0)
    assert (s["withdrawn"], s["ignored"], s["malformed"]) == (1, 2, 6)
    assert s["ecosystems"] == {"PyPI": 5, "npm": 4}

    r = adv("status", "--json")
    assert r.code == 0, r
    st = r.json()
    assert st["present"] is True
    assert st["path"] == str(adv.db)
    assert st["advisories"] == 9 and st["malicious"] == 3
    assert st["ecosystems"] == {"PyPI": 5, "npm": 4}
    assert isinstance(st["last_import"], int) and st["last_import"] > 0
    assert st["last_import_source"] == str(FIXTURES)

    r = adv("status")
    assert r.code == 0, r
    assert "9 (3 malicious-package reports)" in r.out
    assert "last import" in r.out and str(FIXTURES) in r.out

    # the same again: nothing new
    r = adv("import", "--json", FIXTURES)
    assert r.code == 0, r
    assert r.json()["unchanged"] == 9 and r.json()["imported"] == 0

    cases = [
        (["pypi", "Example_Pkg", "1.2"], "vulnerable", ["PYSEC-2099-1"]),
        (["PyPI", "example-pkg", "==1.5"], "clean", []),
        (["pypi", "example-pkg", ">=1.0"], "maybe_vulnerable", ["PYSEC-2099-1"]),
        (["pypi", "critpkg", "2.9"], "vulnerable", ["GHSA-crit-0001"]),
        (["npm", "left-padder", "1.2.2"], "vulnerable", ["GHSA-npm-semver"]),
        (["npm", "left-padder", "^1.2.3"], "clean", []),
        (["npm", "evil-pkg"], "malicious", ["MAL-2099-1"]),
        (["npm", "limited", "2.0.0"], "clean", []),
        (["pypi", "requests", "2.31.0"], "clean", []),
        (["pypi", "requets"], "typosquat", []),
    ]
    for args, status, ids in cases:
        r = adv("check", "--json", *args)
        assert r.code == 0, (args, r)
        out = r.json()
        assert out["dependency"]["status"] == status, (args, out)
        assert out["dependency"]["advisories"] == ids, (args, out)
        assert out["database"]["advisories"] == 9
    r = adv("check", "--json", "pypi", "critpkg", "2.9")
    sev = [f["severity"] for f in r.json()["findings"] if f["rule_id"] == "supply.vulnerable"]
    assert sev == ["critical"]

    r = adv("check", "npm", "left-padder", "1.2.2")
    assert r.code == 0, r
    assert r.out.startswith("npm left-padder 1.2.2: vulnerable\n")
    assert "[high]" in r.out and "GHSA-npm-semver" in r.out


def test_import_zip_built_like_osv(adv, tmp_path):
    z = tmp_path / "all.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
        for p in sorted(FIXTURES.glob("*.json")):
            f.write(p, p.name)
        f.writestr("../climb.json", osv("GHSA-climb", "climber", versions=["1.0"]))
        f.writestr("a/../../climb2.json", osv("GHSA-climb2", "climber", versions=["1.0"]))
        f.writestr("/abs.json", osv("GHSA-abs", "climber", versions=["1.0"]))
        f.writestr("huge.json", '{"id": "GHSA-huge", "pad": "' + "a" * (5 << 20) + '"}')
        f.writestr("README.txt", "not an advisory")
    r = adv("import", "--json", z)
    assert r.code == 0, r
    s = r.json()
    # 16 top-level fixture files (nested ones are not in this zip)
    assert s["documents"] == 16
    assert s["imported"] == 7
    assert s["malformed"] == 6 + 4, "6 bad fixtures, 3 unsafe names, 1 over the size cap"
    assert s["ecosystems"] == {"PyPI": 5, "npm": 2}
    r = adv("check", "--json", "pypi", "climber", "1.0")
    assert r.json()["dependency"]["status"] == "clean"
    assert r.json()["dependency"]["advisories"] == []


def test_reimport_replaces_by_id_and_modified(adv, tmp_path):
    f = tmp_path / "a.json"
    f.write_text(osv("GHSA-r", "movepkg", versions=["1.0"]))
    assert adv("import", f).code == 0
    f.write_text(osv("GHSA-r", "otherpkg", modified="2099-06-01T00:00:00Z", versions=["1.0"]))
    r = adv("import", "--json", f)
    assert r.code == 0, r
    assert (r.json()["imported"], r.json()["replaced"]) == (0, 1)
    assert adv("check", "--json", "pypi", "movepkg", "1.0").json()["dependency"]["status"] == "clean"
    assert adv("check", "--json", "pypi", "otherpkg", "1.0").json()["dependency"]["status"] == "vulnerable"


def test_failed_import_changes_nothing(adv, tmp_path):
    assert adv("import", FIXTURES / "PYSEC-2099-1.json").code == 0
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as f:
        for i in range(20):
            f.writestr(f"GHSA-z{i}.json", osv(f"GHSA-z{i}", f"zpkg{i}", versions=["1.0"]) + " " * 4000)
    data = good.read_bytes()
    bad = tmp_path / "cut.zip"
    bad.write_bytes(data[: len(data) // 2])
    r = adv("import", bad)
    assert r.code == 1, r
    assert "nothing was changed" in r.err
    st = adv("status", "--json").json()
    assert st["advisories"] == 1
    assert st["last_import_source"] == str(FIXTURES / "PYSEC-2099-1.json")
    r = adv("import", tmp_path / "missing")
    assert r.code == 1, r
    assert "No such file" in r.err
    r = adv("import", "/dev/null")
    assert r.code == 1, r


def test_usage_errors_exit_2(adv):
    for args in ([], ["bogus"], ["import"], ["import", "a", "b"], ["status", "x"], ["check", "pypi"],
                 ["check", "pypi", "a", "b", "c"], ["import", "--nope", "x"]):
        r = adv(*args)
        assert r.code == 2, (args, r)
        assert "Usage: skilllite advisories" in r.err
    r = adv("check", "cargo", "serde")
    assert r.code == 2 and "unknown ecosystem" in r.err, r
    r = adv("check", "pypi", "bad\x01name")
    assert r.code == 2, r
    r = adv("--help")
    assert r.code == 0 and "import" in r.out and "SKILLLITE_ADVISORY_DB" in r.out


def test_without_a_database(adv):
    r = adv("status", "--json")
    assert r.code == 0, r
    assert r.json() == {"path": str(adv.db), "present": False}
    assert not adv.db.exists(), "status must not create the database"
    r = adv("status")
    assert r.code == 0 and "No advisory database" in r.out, r
    r = adv("check", "--json", "pypi", "requests", "2.31.0")
    assert r.code == 0, r
    out = r.json()
    assert out["dependency"]["status"] == "unknown"
    assert out["database"] is None
    assert [f["rule_id"] for f in out["findings"]] == ["supply.not-audited"]
    # the bundled lists need no database
    out = adv("check", "--json", "pypi", "colourama").json()
    assert out["dependency"]["status"] == "malicious"
    assert any(f["rule_id"] == "supply.malicious" and f["severity"] == "critical" for f in out["findings"])
    out = adv("check", "--json", "npm", "event-stream", "3.3.6").json()
    assert out["dependency"]["status"] == "malicious"
    out = adv("check", "--json", "npm", "l0dash").json()
    assert out["dependency"]["status"] == "typosquat"
    assert out["dependency"]["typosquat_of"] == "lodash"
    assert adv("check", "--json", "npm", "lodash").json()["dependency"]["status"] == "unknown"


def test_default_path_is_private(skilllite, tmp_path):
    env = {"HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    r = skilllite("advisories", "import", "--json", FIXTURES / "GHSA-npm-limit.json", env=env)
    assert r.code == 0, r
    db = tmp_path / "xdg" / "skilllite" / "advisories.db"
    assert r.json()["database"] == str(db)
    assert stat.S_IMODE(os.stat(db.parent).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    env = {"HOME": str(tmp_path / "home")}
    r = skilllite("advisories", "status", "--json", env=env)
    assert r.json()["path"] == str(tmp_path / "home" / ".local" / "share" / "skilllite" / "advisories.db")


def test_sandbox_binary_has_the_command(adv, skilllite_sandbox):
    r = adv("import", "--json", FIXTURES / "GHSA-npm-limit.json", binary=skilllite_sandbox)
    assert r.code == 0, r
    assert r.json()["imported"] == 1
    r = adv("check", "--json", "npm", "limited", "1.0.0", binary=skilllite_sandbox)
    assert r.json()["dependency"]["status"] == "vulnerable"


def test_a_foreign_file_is_refused(adv):
    adv.db.parent.mkdir(parents=True)
    adv.db.write_text("definitely not sqlite " * 100)
    r = adv("import", FIXTURES)
    assert r.code == 1, r
    assert "not an SQLite database" in r.err or "not a SkillLite advisory database" in r.err
    assert adv.db.read_text().startswith("definitely not sqlite")
