"""The labelled scanner corpus (tests/scan) and its scorer.

The corpus and scorer checks always run. The real scan (every malicious sample at high or above
for at least 95% of them, no benign sample at high or above) runs once `skilllite-sandbox scan
--help` works; until the scan command exists it is skipped. SKILLLITE_BIN_DIR selects the build."""
import json
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "scan"
SCORER = CORPUS / "score.py"
BIN = pathlib.Path(os.environ.get("SKILLLITE_BIN_DIR", ROOT / "build")) / "skilllite-sandbox"
PYTHON = "/usr/bin/python3"
MIN_PER_LABEL = 40


def _env():
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    for keep in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "HOME"):
        if keep in os.environ:
            env[keep] = os.environ[keep]
    return env


def _score(*args, timeout=1800):
    return subprocess.run([PYTHON, str(SCORER), *map(str, args)], capture_output=True, text=True,
                          env=_env(), timeout=timeout, cwd=str(ROOT))


def _report(proc):
    return "exit %d\n--- stdout (tail)\n%s\n--- stderr (tail)\n%s" % (
        proc.returncode, proc.stdout[-15000:], proc.stderr[-4000:])


def _labels():
    return json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))


# ---- the corpus itself ------------------------------------------------------------------------

def test_corpus_has_enough_samples_of_each_label():
    labels = _labels()
    counts = {"malicious": 0, "benign": 0}
    for key, entry in labels.items():
        counts[entry["label"]] += 1
    assert counts["malicious"] >= MIN_PER_LABEL, counts
    assert counts["benign"] >= MIN_PER_LABEL, counts


def test_labels_and_directories_agree():
    proc = _score("--check")
    assert proc.returncode == 0, _report(proc)
    n = len(_labels())
    mal = sum(1 for e in _labels().values() if e["label"] == "malicious")
    assert proc.stdout.strip() == "corpus ok: %d malicious, %d benign" % (mal, n - mal)


def test_every_sample_is_a_valid_skill_name():
    # SKILL.md name must equal the directory name (docs/SKILL-FORMAT.md); a sample that fails
    # validation would test the validator, not the scanner.
    for key in _labels():
        text = (CORPUS / key / "SKILL.md").read_text(encoding="utf-8")
        assert text.startswith("---\n"), key
        names = [l[len("name:"):].strip() for l in text.split("\n---", 1)[0].splitlines()
                 if l.startswith("name:")]
        assert names == [key.split("/", 1)[1]], key


def test_special_byte_samples_are_intact():
    # Samples whose point is their bytes: a reformatting editor or a git filter must not "fix" them.
    word_wrap = (CORPUS / "malicious/word-wrap/scripts/main.py").read_bytes()
    assert b"\n" not in word_wrap and word_wrap.count(b"\r") > 5
    line_counter = (CORPUS / "malicious/line-counter/scripts/main.js").read_bytes()
    assert b"\n" not in line_counter and line_counter.count(b"\r") > 5
    for latin1 in ("malicious/accent-folder/scripts/main.py", "malicious/locale-fix/scripts/main.sh"):
        with pytest.raises(UnicodeDecodeError):
            (CORPUS / latin1).read_bytes().decode("utf-8")
    assert (CORPUS / "malicious/i18n-check/scripts/locale_rules.py").read_bytes()[:2] == b"\xff\xfe"
    assert (CORPUS / "malicious/csv-fast/scripts/csvfast").read_bytes()[:4] == b"\x7fELF"
    pyc = CORPUS / "malicious/stopword-filter/scripts/__pycache__/stopwords.cpython-311.pyc"
    head = pyc.read_bytes()[:16]
    assert head[:4] == b"\xa7\r\r\n", "not CPython 3.11 bytecode"
    assert int.from_bytes(head[4:8], "little") == 1, "not an unchecked-hash .pyc"
    md = (CORPUS / "malicious/commit-message/SKILL.md").read_text(encoding="utf-8")
    assert "\u202e" in md
    md = (CORPUS / "malicious/email-drafter/SKILL.md").read_text(encoding="utf-8")
    assert "\u200b" in md and any(0xE0000 <= ord(c) <= 0xE007F for c in md)


# ---- the scorer, against a stub scanner ---------------------------------------------------------

STUB = r'''#!/usr/bin/python3
import json, pathlib, sys
args = sys.argv[1:]
assert args[:4] == ["scan", "--json", "--fail-on", "critical"], args
behaviour = (pathlib.Path(args[4]) / "stub.txt").read_text().strip()
if behaviour == "crash":
    sys.stderr.write("stub: boom\n")
    sys.exit(5)
if behaviour == "garbage":
    print("this is not json")
    sys.exit(0)
if behaviour == "noverdict":
    print(json.dumps({"findings": []}))
    sys.exit(0)
findings = [{"rule_id": "stub.%s" % behaviour, "severity": behaviour}]
print(json.dumps({"verdict": behaviour, "findings": findings}))
sys.exit(3 if behaviour == "critical" else 0)
'''


def _stub_corpus(tmp_path, samples):
    """samples: {"malicious/x": "high", ...} -> (corpus dir, stub binary)."""
    corpus = tmp_path / "corpus"
    labels = {}
    for key, behaviour in samples.items():
        d = corpus / key
        d.mkdir(parents=True)
        (d / "SKILL.md").write_text("---\nname: %s\ndescription: x\n---\n" % key.split("/")[1])
        (d / "stub.txt").write_text(behaviour)
        labels[key] = {"label": key.split("/")[0], "evasion": "test", "languages": ["python"],
                       "notes": ""}
    for kind in ("malicious", "benign"):
        (corpus / kind).mkdir(parents=True, exist_ok=True)
    (corpus / "labels.json").write_text(json.dumps(labels))
    stub = tmp_path / "stub-scanner"
    stub.write_text(STUB)
    stub.chmod(0o755)
    return corpus, stub


def test_scorer_metrics_and_requirements(tmp_path):
    corpus, stub = _stub_corpus(tmp_path, {
        "malicious/m1": "critical", "malicious/m2": "high", "malicious/m3": "medium",
        "malicious/m4": "low",
        "benign/b1": "safe", "benign/b2": "low", "benign/b3": "medium", "benign/b4": "safe",
    })
    out = tmp_path / "metrics.json"
    proc = _score("--corpus", corpus, "--bin", stub, "--json", out)
    assert proc.returncode == 0, _report(proc)
    m = json.loads(out.read_text())["metrics"]
    assert (m["recall_high"], m["recall_medium"], m["fp_medium"], m["fp_high"]) == (0.5, 0.75, 0.25, 0.0)
    assert m["missed_high"] == ["malicious/m3", "malicious/m4"]
    assert m["false_positives_medium"] == ["benign/b3"]
    assert "recall@high   0.500" in proc.stdout and "FP@medium     0.250" in proc.stdout
    assert "stub.critical" in proc.stdout  # top rule ids are printed

    proc = _score("--corpus", corpus, "--bin", stub, "--require-recall-high", "0.95", "--max-fp-high", "0")
    assert proc.returncode == 1, _report(proc)
    assert "recall@high 0.500 < 0.95" in proc.stderr
    proc = _score("--corpus", corpus, "--bin", stub, "--require-recall-high", "0.5", "--max-fp-high", "0")
    assert proc.returncode == 0, _report(proc)
    proc = _score("--corpus", corpus, "--bin", stub, "--max-fp-medium", "0")
    assert proc.returncode == 1, _report(proc)


def test_scorer_counts_scan_errors_against_the_scanner(tmp_path):
    corpus, stub = _stub_corpus(tmp_path, {
        "malicious/m1": "crash", "malicious/m2": "critical",
        "benign/b1": "garbage", "benign/b2": "noverdict", "benign/b3": "safe",
    })
    proc = _score("--corpus", corpus, "--bin", stub, "--json", "-",
                  "--require-recall-high", "0.5", "--max-fp-high", "0")
    assert proc.returncode == 1, _report(proc)
    doc = json.loads(proc.stdout)
    m = doc["metrics"]
    assert m["errors"] == 3
    assert m["recall_high"] == 0.5 and m["missed_high"] == ["malicious/m1"]
    assert m["false_positives_high"] == ["benign/b1", "benign/b2"]
    errors = {s["sample"]: s["error"] for s in doc["samples"]}
    assert "exit status 5" in errors["malicious/m1"] and "boom" in errors["malicious/m1"]
    assert "not JSON" in errors["benign/b1"]
    assert "no verdict" in errors["benign/b2"]
    assert errors["benign/b3"] is None


def test_scorer_refuses_a_corpus_that_disagrees_with_its_labels(tmp_path):
    corpus, stub = _stub_corpus(tmp_path, {"malicious/m1": "high", "benign/b1": "safe"})
    (corpus / "benign" / "unlabelled").mkdir()
    (corpus / "benign" / "unlabelled" / "SKILL.md").write_text("---\nname: unlabelled\n---\n")
    proc = _score("--corpus", corpus, "--bin", stub)
    assert proc.returncode == 2, _report(proc)
    assert "benign/unlabelled: directory has no entry in labels.json" in proc.stderr

    (corpus / "benign" / "unlabelled" / "SKILL.md").unlink()
    (corpus / "benign" / "unlabelled").rmdir()
    labels = json.loads((corpus / "labels.json").read_text())
    labels["malicious/ghost"] = dict(labels["malicious/m1"])
    (corpus / "labels.json").write_text(json.dumps(labels))
    proc = _score("--corpus", corpus, "--bin", stub, "--check")
    assert proc.returncode == 2, _report(proc)
    assert "malicious/ghost: labels.json entry has no directory" in proc.stderr

    del labels["malicious/ghost"]
    labels["benign/b1"]["label"] = "malicious"
    (corpus / "labels.json").write_text(json.dumps(labels))
    proc = _score("--corpus", corpus, "--bin", stub, "--check")
    assert proc.returncode == 2, _report(proc)
    assert "does not match its directory" in proc.stderr


def test_scorer_reports_a_missing_binary(tmp_path):
    corpus, _ = _stub_corpus(tmp_path, {"malicious/m1": "high", "benign/b1": "safe"})
    proc = _score("--corpus", corpus, "--bin", tmp_path / "nope")
    assert proc.returncode == 2, _report(proc)
    assert "no executable scanner" in proc.stderr


# ---- the real scanner ---------------------------------------------------------------------------

def _scan_available():
    if not BIN.exists():
        return False
    try:
        proc = subprocess.run([str(BIN), "scan", "--help"], capture_output=True, text=True,
                              env=_env(), timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


def test_scanner_on_corpus(tmp_path):
    if not _scan_available():
        pytest.skip("%s scan --help fails: the scan command is not there yet" % BIN)
    out = tmp_path / "metrics.json"
    proc = _score("--bin", BIN, "--json", out, "--require-recall-high", "0.95", "--max-fp-high", "0")
    sys.stdout.write(proc.stdout[-6000:])
    assert proc.returncode == 0, _report(proc)
    m = json.loads(out.read_text())["metrics"]
    assert m["recall_high"] >= 0.95 and m["fp_high_count"] == 0, m
