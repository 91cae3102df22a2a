"""`skilllite scan --online` and `skilllite advisories check --online` (src/scan/advisory_online.c)
against the scripted OSV API in osv_server.py: advisories found online with or without an offline
database, ranges and specs evaluated as offline, malicious-package reports, pagination, hostile
ids, and every failure (500, garbage, timeout) leaving a dependency "unknown", never "clean". The
sandbox edition refuses --online."""
import json
import pathlib
import subprocess
import time

import pytest

from conftest import BIN_DIR
from osv_server import OSVServer

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "unit" / "data" / "osv"


def _online_available():
    try:
        p = subprocess.run([str(BIN_DIR / "skilllite"), "scan", "--help"], capture_output=True, text=True,
                           timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return p.returncode == 0 and "--online" in p.stdout


pytestmark = pytest.mark.skipif(not _online_available(), reason="`skilllite scan --online` is not built")

MOD = "2099-01-01T00:00:00Z"


def doc(id_, name, eco="PyPI", **affected):
    return {"id": id_, "modified": MOD, "summary": f"{name}: {id_}",
            "affected": [{"package": {"ecosystem": eco, "name": name}, **affected}]}


def fixed_in(fixed, introduced="0", kind="ECOSYSTEM"):
    return {"ranges": [{"type": kind, "events": [{"introduced": introduced}, {"fixed": fixed}]}]}


REQUESTS_VULN = doc("PYSEC-2099-100", "Requests", **fixed_in("2.20.0"))
LODASH_VULN = doc("GHSA-lodash-0001", "lodash", eco="npm", **fixed_in("4.17.21", kind="SEMVER"))
MALWARE = doc("MAL-2099-42", "evil-thing-xyz", eco="npm")
DOCS = [REQUESTS_VULN, LODASH_VULN, MALWARE]


@pytest.fixture
def osv():
    with OSVServer(DOCS) as srv:
        yield srv


@pytest.fixture
def env(tmp_path, osv):
    """The OSV API at the scripted server; no offline database; every engine directory in tmp_path."""
    return {
        "SKILLLITE_OSV_API": osv.base_url,
        "SKILLLITE_ADVISORY_DB": str(tmp_path / "no-such" / "advisories.db"),
        "HOME": str(tmp_path / "home"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }


def skill(make_skill, files, name="deps"):
    files = dict(files)
    files.setdefault("scripts/main.py", "print('hi')\n")
    return make_skill(name, f"name: {name}\ndescription: uses some packages\n", files=files)


def scan_json(skilllite, path, env, *extra):
    r = skilllite("scan", "--json", "--online", *extra, path, env=env)
    assert r.code in (0, 3), r
    return r, r.json()


def dep_status(j, name, spec=None):
    for d in j["supply_chain"]["dependencies"]:
        if d["name"] == name and (spec is None or d["spec"] == spec):
            return d
    raise AssertionError(f"no dependency {name} {spec}: {j['supply_chain']}")


def rules(j):
    return [f["rule_id"] for f in j["findings"]]


def test_vulnerable_pinned_pypi_found_online_without_a_database(skilllite, make_skill, env, osv, tmp_path):
    d = skill(make_skill, {"requirements.txt": "requests==2.0.1\nflask==2.0.0\n"})
    r, j = scan_json(skilllite, d, env)
    assert r.code == 3, r
    req = dep_status(j, "requests")
    assert req["status"] == "vulnerable"
    assert req["advisories"] == ["PYSEC-2099-100"]
    assert "note" not in req
    flask = dep_status(j, "flask")
    assert flask["status"] == "clean", "answered online: no database needed"
    assert j["supply_chain"]["database"] is None
    assert j["supply_chain"]["online"] == {"source": osv.base_url, "answered": 2, "unanswered": 0}
    vuln = [f for f in j["findings"] if f["rule_id"] == "supply.vulnerable"]
    assert len(vuln) == 1 and vuln[0]["severity"] == "high" and "PYSEC-2099-100" in vuln[0]["message"]
    assert vuln[0]["file"] == "requirements.txt" and vuln[0]["line"] == 1
    assert "supply.not-audited" not in rules(j)

    batches = osv.batch_requests()
    assert len(batches) == 1
    queries = batches[0]["body"]["queries"]
    assert {"package": {"name": "requests", "ecosystem": "PyPI"}, "version": "2.0.1"} in queries
    assert {"package": {"name": "flask", "ecosystem": "PyPI"}, "version": "2.0.0"} in queries
    assert osv.vuln_requests() == ["PYSEC-2099-100"]
    # an online scan neither reads nor writes the scan cache
    assert not (tmp_path / "cache" / "skilllite" / "scan").exists()


def test_without_online_nothing_is_asked(skilllite, make_skill, env, osv):
    d = skill(make_skill, {"requirements.txt": "requests==2.0.1\n"})
    r = skilllite("scan", "--json", d, env=env)
    assert r.code == 0, r
    j = r.json()
    assert dep_status(j, "requests")["status"] == "unknown"
    assert "online" not in j["supply_chain"]
    assert osv.requests == []


def test_npm_range_spec_is_evaluated_like_offline(skilllite, make_skill, env, osv):
    pkg = {"name": "x", "version": "1.0.0",
           "dependencies": {"lodash": "^4.17.0"}, "devDependencies": {"left-pad": "^1.3.0"}}
    d = skill(make_skill, {"package.json": json.dumps(pkg)})
    r, j = scan_json(skilllite, d, env)
    lodash = dep_status(j, "lodash")
    assert lodash["status"] == "maybe_vulnerable", j["supply_chain"]
    assert lodash["advisories"] == ["GHSA-lodash-0001"]
    assert dep_status(j, "left-pad")["status"] == "clean"
    assert any(f["rule_id"] == "supply.maybe-vulnerable" and f["severity"] == "medium" for f in j["findings"])
    q = osv.batch_requests()[0]["body"]["queries"]
    assert {"package": {"name": "lodash", "ecosystem": "npm"}} in q, "a range is not sent as a version"

    pkg["dependencies"]["lodash"] = "^4.17.21"
    d2 = skill(make_skill, {"package.json": json.dumps(pkg)}, name="fixed")
    r, j = scan_json(skilllite, d2, env)
    assert dep_status(j, "lodash")["status"] == "clean"
    assert r.code == 0, r


def test_malicious_package_report_is_critical(skilllite, make_skill, env, osv):
    pkg = {"name": "x", "version": "1.0.0", "dependencies": {"evil-thing-xyz": "1.0.0"}}
    d = skill(make_skill, {"package.json": json.dumps(pkg)})
    r, j = scan_json(skilllite, d, env)
    assert r.code == 3, r
    assert j["verdict"] == "critical"
    evil = dep_status(j, "evil-thing-xyz")
    assert evil["status"] == "malicious" and evil["advisories"] == ["MAL-2099-42"]
    mal = [f for f in j["findings"] if f["rule_id"] == "supply.malicious"]
    assert mal and mal[0]["severity"] == "critical" and "MAL-2099-42" in mal[0]["message"]


FAILURES = [
    ({"batch_status": 500}, "HTTP 500"),
    ({"batch_status": 429}, "HTTP 429"),
    ({"batch_body": "<html>captive portal</html>"}, "not JSON"),
    ({"batch_body": json.dumps({"results": []})}, "0 results for 1 queries"),
    ({"batch_delay": 3}, "no complete answer within 1000 ms"),
    ({"vuln_status": {"PYSEC-2099-100": 500}}, "HTTP 500"),
    ({"vuln_body": {"PYSEC-2099-100": "garbage"}}, "not a usable OSV advisory"),
    ({"vuln_body": {"PYSEC-2099-100": json.dumps(LODASH_VULN)}}, "another advisory"),
]


@pytest.mark.parametrize("faults,why", FAILURES, ids=[f[1] + " " + next(iter(f[0])) for f in FAILURES])
def test_a_backend_that_cannot_answer_gives_unknown_never_clean(skilllite, make_skill, env, osv, faults, why):
    # requests 2.31.0 is clean by the advisory: only a complete answer may say so
    d = skill(make_skill, {"requirements.txt": "requests==2.31.0\n"})
    r, j = scan_json(skilllite, d, {**env, "SKILLLITE_OSV_TIMEOUT_SECS": "1"})
    assert dep_status(j, "requests")["status"] == "clean", "the control run"
    osv.faults = faults
    t0 = time.monotonic()
    r, j = scan_json(skilllite, d, {**env, "SKILLLITE_OSV_TIMEOUT_SECS": "1"})
    assert time.monotonic() - t0 < 10
    req = dep_status(j, "requests")
    assert req["status"] == "unknown", j["supply_chain"]
    assert why in req["note"], req["note"]
    assert j["supply_chain"]["online"]["unanswered"] == 1
    notes = [f for f in j["findings"] if f["rule_id"] == "supply.not-audited"]
    assert len(notes) == 1 and notes[0]["severity"] == "low"
    assert "not audited online" in notes[0]["message"] and why in notes[0]["message"]
    # text output says so too
    osv.faults = faults
    t = skilllite("scan", "--online", d, env={**env, "SKILLLITE_OSV_TIMEOUT_SECS": "1"})
    assert t.code == 0, t
    assert "not audited online" in t.out, t


def test_unreachable_api(skilllite, make_skill, env):
    d = skill(make_skill, {"requirements.txt": "requests==2.31.0\n"})
    r, j = scan_json(skilllite, d, {**env, "SKILLLITE_OSV_API": "http://127.0.0.1:1"})
    req = dep_status(j, "requests")
    assert req["status"] == "unknown" and "cannot connect" in req["note"]


def test_pagination_reads_every_page(skilllite, make_skill, env, tmp_path):
    docs = [doc(f"PYSEC-2099-{i}", "requests", **fixed_in(f"2.{i}.0")) for i in range(1, 6)]
    with OSVServer(docs, page_size=2) as srv:
        d = skill(make_skill, {"requirements.txt": "requests==2.3.5\n"})
        r, j = scan_json(skilllite, d, {**env, "SKILLLITE_OSV_API": srv.base_url})
        req = dep_status(j, "requests")
        # 2.3.5 is fixed in 2.1 .. 2.3, still affected by the ones fixed in 2.4 and 2.5
        assert req["status"] == "vulnerable", j["supply_chain"]
        assert sorted(req["advisories"]) == ["PYSEC-2099-4", "PYSEC-2099-5"]
        batches = srv.batch_requests()
        assert len(batches) == 3
        assert [q.get("page_token") for b in batches for q in b["body"]["queries"]] == [None, "p2", "p4"]
        assert sorted(srv.vuln_requests()) == [f"PYSEC-2099-{i}" for i in range(1, 6)]


def test_hostile_ids_are_never_put_into_a_url(skilllite, make_skill, env, osv):
    osv.faults = {"extra_ids": {"requests": ["../../../etc/passwd"], "flask": ["GHSA-1/../../admin"],
                                "django": [".."]}}
    d = skill(make_skill, {"requirements.txt": "requests==2.0.1\nflask==2.0.0\ndjango==4.0\nnumpy==1.0\n"})
    r, j = scan_json(skilllite, d, env)
    for name in ("requests", "flask", "django"):
        dep = dep_status(j, name)
        assert dep["status"] in ("unknown", "vulnerable"), dep
        assert "invalid advisory id" in dep["note"], dep
    assert dep_status(j, "requests")["status"] == "unknown", "its other advisory was never fetched"
    assert dep_status(j, "numpy")["status"] == "clean"
    for req in osv.requests:
        assert ".." not in req["path"] and "admin" not in req["path"], req


def test_the_sandbox_edition_refuses_online(skilllite_sandbox, make_skill, env, osv):
    d = skill(make_skill, {"requirements.txt": "requests==2.0.1\n"})
    r = skilllite_sandbox("scan", "--json", "--online", d, env=env)
    assert r.code == 2, r
    assert "full skilllite binary" in r.err and r.out == ""
    r = skilllite_sandbox("advisories", "check", "--online", "pypi", "requests", "2.0.1", env=env)
    assert r.code == 2, r
    assert "full skilllite binary" in r.err
    assert osv.requests == []
    # without --online it still works offline
    assert skilllite_sandbox("scan", "--json", d, env=env).code == 0


def test_combined_with_an_offline_database(skilllite, make_skill, env, osv, tmp_path):
    db = tmp_path / "db" / "advisories.db"
    env = {**env, "SKILLLITE_ADVISORY_DB": str(db)}
    r = skilllite("advisories", "import", "--json", FIXTURES, env=env)
    assert r.code == 0, r
    d = skill(make_skill, {"requirements.txt": "example-pkg==1.2\nrequests==2.0.1\nexample_pkg==1.5\n"})

    r = skilllite("scan", "--json", d, env=env)
    j = r.json()
    assert dep_status(j, "requests")["status"] == "clean", "offline, the database knows nothing of it"

    r, j = scan_json(skilllite, d, env)
    assert dep_status(j, "example-pkg", "==1.2")["status"] == "vulnerable", "found offline"
    assert dep_status(j, "example-pkg", "==1.2")["advisories"] == ["PYSEC-2099-1"]
    assert dep_status(j, "requests")["status"] == "vulnerable", "found online"
    assert dep_status(j, "example-pkg", "==1.5")["status"] == "clean", "both answered"
    assert j["supply_chain"]["database"]["advisories"] == 9
    assert j["supply_chain"]["online"]["answered"] == 3
    assert "supply.not-audited" not in rules(j)

    osv.faults = {"batch_status": 503}
    r, j = scan_json(skilllite, d, env)
    assert dep_status(j, "example-pkg", "==1.5")["status"] == "unknown", "online failed: not clean"
    assert dep_status(j, "example-pkg", "==1.2")["status"] == "vulnerable", "the offline finding stands"
    assert dep_status(j, "requests")["status"] == "unknown"


def test_advisories_check_online(skilllite, env, osv):
    r = skilllite("advisories", "check", "--json", "--online", "pypi", "requests", "2.0.1", env=env)
    assert r.code == 0, r
    j = r.json()
    assert j["dependency"]["status"] == "vulnerable"
    assert j["dependency"]["advisories"] == ["PYSEC-2099-100"]
    assert j["database"] is None
    assert j["online"]["answered"] == 1

    r = skilllite("advisories", "check", "--online", "npm", "lodash", "^4.17.0", env=env)
    assert r.code == 0, r
    assert r.out.startswith("npm lodash ^4.17.0: maybe_vulnerable\n"), r
    assert "GHSA-lodash-0001" in r.out

    r = skilllite("advisories", "check", "--json", "--online", "npm", "evil-thing-xyz", env=env)
    assert r.json()["dependency"]["status"] == "malicious"

    osv.faults = {"batch_body": "nope"}
    r = skilllite("advisories", "check", "--json", "--online", "pypi", "requests", "2.31.0", env=env)
    assert r.code == 0, r
    j = r.json()
    assert j["dependency"]["status"] == "unknown" and "not JSON" in j["dependency"]["note"]

    # offline check output keeps its shape
    r = skilllite("advisories", "check", "--json", "pypi", "requests", "2.31.0", env=env)
    assert "online" not in r.json()
    # --online belongs to check only
    assert skilllite("advisories", "status", "--online", env=env).code == 2


@pytest.mark.parametrize("var,value", [
    ("SKILLLITE_OSV_API", "ftp://osv.example"),
    ("SKILLLITE_OSV_API", "http://x/?key=1"),
    ("SKILLLITE_OSV_TIMEOUT_SECS", "0"),
    ("SKILLLITE_OSV_TIMEOUT_SECS", "soon"),
])
def test_bad_configuration_is_a_usage_error(skilllite, make_skill, env, osv, var, value):
    d = skill(make_skill, {"requirements.txt": "requests==2.0.1\n"})
    r = skilllite("scan", "--online", d, env={**env, var: value})
    assert r.code == 2, r
    assert var in r.err
    r = skilllite("advisories", "check", "--online", "pypi", "requests", env={**env, var: value})
    assert r.code == 2, r
    assert osv.requests == []
