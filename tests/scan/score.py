#!/usr/bin/python3
"""Score `skilllite scan` against the labelled corpus in this directory.

Every sample directory under malicious/ and benign/ is scanned with

    <bin> scan --json --fail-on critical <sample-dir>

and its verdict (safe < low < medium < high < critical) is compared with its label in
labels.json. Printed: one row per sample, then

    recall@high    malicious samples with verdict >= high   / malicious samples
    recall@medium  malicious samples with verdict >= medium / malicious samples
    FP@medium      benign samples with verdict >= medium    / benign samples
    FP@high        benign samples with verdict >= high      / benign samples

and the misses and false positives. A scan error (exit status other than 0 or 3, a timeout, or
output that is not JSON with a verdict) is printed and counts against the scanner: a malicious
sample with an error is a miss, a benign sample with an error counts as a false positive at both
levels.

Exit status: 0 when every requirement given is met (or none is given), 1 when one is not,
2 for usage errors and a corpus whose directories and labels.json disagree.

Standard library only; run with /usr/bin/python3. See README.md.
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
KINDS = ("malicious", "benign")
SEVERITIES = ("safe", "low", "medium", "high", "critical")
RANK = {s: i for i, s in enumerate(SEVERITIES)}
REQUIRED_KEYS = ("label", "evasion", "languages", "notes")
KEEP_ENV = ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS")


class CorpusError(Exception):
    pass


def load_corpus(corpus):
    """Return [(key, entry)] sorted by key; raise CorpusError unless labels.json and the sample
    directories match exactly and every entry is well formed."""
    labels_path = corpus / "labels.json"
    try:
        labels = json.loads(labels_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise CorpusError(f"cannot read {labels_path}: {e}") from None
    if not isinstance(labels, dict):
        raise CorpusError(f"{labels_path}: the top level must be an object")

    dirs = set()
    for kind in KINDS:
        kind_dir = corpus / kind
        if not kind_dir.is_dir():
            raise CorpusError(f"missing directory {kind_dir}")
        for entry in kind_dir.iterdir():
            if entry.name.startswith("."):
                continue
            if not entry.is_dir():
                raise CorpusError(f"{entry} is not a directory (only sample directories belong here)")
            dirs.add(f"{kind}/{entry.name}")

    problems = []
    for key in sorted(dirs - set(labels)):
        problems.append(f"{key}: directory has no entry in labels.json")
    for key in sorted(set(labels) - dirs):
        problems.append(f"{key}: labels.json entry has no directory")
    for key in sorted(set(labels) & dirs):
        entry = labels[key]
        if not isinstance(entry, dict):
            problems.append(f"{key}: entry must be an object")
            continue
        missing = [k for k in REQUIRED_KEYS if k not in entry]
        if missing:
            problems.append(f"{key}: missing {', '.join(missing)}")
        kind = key.split("/", 1)[0]
        if entry.get("label") != kind:
            problems.append(f"{key}: label {entry.get('label')!r} does not match its directory {kind}/")
        if not isinstance(entry.get("languages", []), list) or not entry.get("languages"):
            problems.append(f"{key}: languages must be a non-empty list")
        if not (corpus / key / "SKILL.md").is_file():
            problems.append(f"{key}: no SKILL.md")
    if problems:
        raise CorpusError("labels.json and the sample directories disagree:\n  " + "\n  ".join(problems))
    return [(key, labels[key]) for key in sorted(labels)]


def default_bin():
    bin_dir = os.environ.get("SKILLLITE_BIN_DIR")
    return pathlib.Path(bin_dir) / "skilllite-sandbox" if bin_dir else ROOT / "build" / "skilllite-sandbox"


def scan_env(home):
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(home),
           "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache"),
           "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_STATE_HOME": str(home / ".local" / "state")}
    for name in KEEP_ENV:
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def _report_objects(report):
    """The objects that may carry the verdict and findings: the report itself, its "summary",
    and the single entry of a one-element "skills" or "results" list."""
    if not isinstance(report, dict):
        return []
    objs = [report]
    if isinstance(report.get("summary"), dict):
        objs.append(report["summary"])
    for key in ("skills", "results"):
        v = report.get(key)
        if isinstance(v, list) and len(v) == 1 and isinstance(v[0], dict):
            objs.append(v[0])
    return objs


def find_verdict(report):
    """The verdict of a scan report ("verdict": "safe".."critical"), or None."""
    for obj in _report_objects(report):
        v = obj.get("verdict")
        if isinstance(v, str) and v.lower() in RANK:
            return v.lower()
    return None


def top_rules(report, limit=3):
    findings = next((o["findings"] for o in _report_objects(report)
                     if isinstance(o.get("findings"), list)), [])
    ranked = []
    for f in findings:
        if isinstance(f, dict) and isinstance(f.get("rule_id"), str):
            sev = str(f.get("severity", "")).lower()
            ranked.append((-RANK.get(sev, -1), f["rule_id"]))
    out = []
    for _, rule in sorted(ranked, key=lambda r: r[0]):
        if rule not in out:
            out.append(rule)
        if len(out) == limit:
            break
    return out


def scan_one(binary, sample_dir, timeout, home):
    """Return {"verdict": str|None, "rules": [...], "error": str|None, "warning": str|None}."""
    cmd = [str(binary), "scan", "--json", "--fail-on", "critical", str(sample_dir)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout,
                              env=scan_env(home), stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return {"verdict": None, "rules": [], "error": f"timed out after {timeout}s", "warning": None}
    except OSError as e:
        return {"verdict": None, "rules": [], "error": f"cannot run {binary}: {e}", "warning": None}
    stderr_tail = proc.stderr.strip()[-400:]
    if proc.returncode not in (0, 3):
        return {"verdict": None, "rules": [], "warning": None,
                "error": f"exit status {proc.returncode}" + (f": {stderr_tail}" if stderr_tail else "")}
    try:
        report = json.loads(proc.stdout)
    except ValueError as e:
        return {"verdict": None, "rules": [], "warning": None,
                "error": f"output is not JSON ({e}); stdout starts {proc.stdout[:120]!r}"}
    verdict = find_verdict(report)
    if verdict is None:
        return {"verdict": None, "rules": [], "warning": None,
                "error": "JSON report has no verdict (safe/low/medium/high/critical)"}
    warning = None
    if (proc.returncode == 3) != (verdict == "critical"):
        warning = f"exit status {proc.returncode} with verdict {verdict} (--fail-on critical)"
    return {"verdict": verdict, "rules": top_rules(report), "error": None, "warning": warning}


def at_least(verdict, level):
    return verdict is not None and RANK[verdict] >= RANK[level]


def compute_metrics(results):
    mal = [r for r in results if r["label"] == "malicious"]
    ben = [r for r in results if r["label"] == "benign"]

    def rate(num, den):
        return round(num / den, 4) if den else None

    # an error on a benign sample counts as a false positive at both levels
    fp = lambda r, level: r["error"] is not None or at_least(r["verdict"], level)
    return {
        "malicious": len(mal),
        "benign": len(ben),
        "errors": sum(1 for r in results if r["error"] is not None),
        "recall_high": rate(sum(at_least(r["verdict"], "high") for r in mal), len(mal)),
        "recall_medium": rate(sum(at_least(r["verdict"], "medium") for r in mal), len(mal)),
        "fp_medium": rate(sum(fp(r, "medium") for r in ben), len(ben)),
        "fp_high": rate(sum(fp(r, "high") for r in ben), len(ben)),
        "fp_high_count": sum(fp(r, "high") for r in ben),
        "fp_medium_count": sum(fp(r, "medium") for r in ben),
        "missed_high": [r["sample"] for r in mal if not at_least(r["verdict"], "high")],
        "missed_medium": [r["sample"] for r in mal if not at_least(r["verdict"], "medium")],
        "false_positives_high": [r["sample"] for r in ben if fp(r, "high")],
        "false_positives_medium": [r["sample"] for r in ben if fp(r, "medium")],
    }


def mark(r):
    if r["error"]:
        return "ERROR"
    if r["label"] == "malicious":
        if at_least(r["verdict"], "high"):
            return "ok"
        return "miss@high" if at_least(r["verdict"], "medium") else "MISS"
    if at_least(r["verdict"], "high"):
        return "FP@HIGH"
    return "fp@medium" if at_least(r["verdict"], "medium") else "ok"


def fmt_rate(x):
    return "n/a" if x is None else f"{x:.3f}"


def print_report(results, metrics, out):
    w = max([len(r["sample"]) for r in results] + [6])
    out.write(f"{'sample':<{w}}  {'label':<9}  {'verdict':<8}  {'result':<9}  top rules\n")
    out.write("-" * (w + 50) + "\n")
    for r in results:
        verdict = r["verdict"] or "-"
        rules = ", ".join(r["rules"]) if r["rules"] else ""
        out.write(f"{r['sample']:<{w}}  {r['label']:<9}  {verdict:<8}  {mark(r):<9}  {rules}\n")
    out.write("\n")
    errors = [r for r in results if r["error"]]
    if errors:
        out.write(f"scan errors ({len(errors)}):\n")
        for r in errors:
            out.write(f"  {r['sample']}: {r['error']}\n")
        out.write("\n")
    warnings = [r for r in results if r.get("warning")]
    if warnings:
        out.write(f"warnings ({len(warnings)}):\n")
        for r in warnings:
            out.write(f"  {r['sample']}: {r['warning']}\n")
        out.write("\n")
    by_sample = {r["sample"]: r for r in results}
    for title, names in (("missed at high (malicious below high)", metrics["missed_high"]),
                         ("false positives at medium or above (benign)", metrics["false_positives_medium"])):
        out.write(f"{title}: {len(names)}\n")
        for n in names:
            r = by_sample[n]
            what = r["error"] and "error" or r["verdict"]
            out.write(f"  {n} [{what}] {r['evasion']}\n")
    out.write("\n")
    out.write(f"samples: {metrics['malicious']} malicious, {metrics['benign']} benign, "
              f"{metrics['errors']} scan errors\n")
    out.write(f"recall@high   {fmt_rate(metrics['recall_high'])}\n")
    out.write(f"recall@medium {fmt_rate(metrics['recall_medium'])}\n")
    out.write(f"FP@medium     {fmt_rate(metrics['fp_medium'])} ({metrics['fp_medium_count']} benign)\n")
    out.write(f"FP@high       {fmt_rate(metrics['fp_high'])} ({metrics['fp_high_count']} benign)\n")


def check_requirements(args, metrics):
    failed = []
    if args.require_recall_high is not None:
        if metrics["recall_high"] is None or metrics["recall_high"] < args.require_recall_high:
            failed.append(f"recall@high {fmt_rate(metrics['recall_high'])} < {args.require_recall_high}")
    if args.require_recall_medium is not None:
        if metrics["recall_medium"] is None or metrics["recall_medium"] < args.require_recall_medium:
            failed.append(f"recall@medium {fmt_rate(metrics['recall_medium'])} < {args.require_recall_medium}")
    if args.max_fp_high is not None and metrics["fp_high_count"] > args.max_fp_high:
        failed.append(f"{metrics['fp_high_count']} benign samples at high or above (at most {args.max_fp_high})")
    if args.max_fp_medium is not None and metrics["fp_medium_count"] > args.max_fp_medium:
        failed.append(f"{metrics['fp_medium_count']} benign samples at medium or above (at most {args.max_fp_medium})")
    return failed


def parse_args(argv):
    p = argparse.ArgumentParser(description="Score `skilllite scan` against the labelled corpus.")
    p.add_argument("--bin", type=pathlib.Path, default=None,
                   help="scanner binary (default: $SKILLLITE_BIN_DIR/skilllite-sandbox, else build/skilllite-sandbox)")
    p.add_argument("--corpus", type=pathlib.Path, default=HERE,
                   help="corpus directory holding labels.json, malicious/ and benign/ (default: this one)")
    p.add_argument("--jobs", type=int, default=2, help="scans run in parallel (default 2)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per scan (default 60)")
    p.add_argument("--only", action="append", default=[], metavar="SUBSTRING",
                   help="score only samples whose key contains SUBSTRING (repeatable)")
    p.add_argument("--json", dest="json_out", default=None, metavar="FILE",
                   help="also write metrics and per-sample results as JSON to FILE ('-' for stdout, "
                        "which then replaces the table)")
    p.add_argument("--check", action="store_true",
                   help="only check that labels.json and the directories agree; scan nothing")
    p.add_argument("--require-recall-high", type=float, default=None, metavar="X",
                   help="exit 1 if recall@high < X")
    p.add_argument("--require-recall-medium", type=float, default=None, metavar="X",
                   help="exit 1 if recall@medium < X")
    p.add_argument("--max-fp-high", type=int, default=None, metavar="N",
                   help="exit 1 if more than N benign samples are at high or above (errors count)")
    p.add_argument("--max-fp-medium", type=int, default=None, metavar="N",
                   help="exit 1 if more than N benign samples are at medium or above (errors count)")
    args = p.parse_args(argv)
    if args.jobs < 1:
        p.error("--jobs must be at least 1")
    if args.timeout <= 0:
        p.error("--timeout must be positive")
    return args


def main(argv=None):
    args = parse_args(argv)
    corpus = args.corpus.resolve()
    try:
        samples = load_corpus(corpus)
    except CorpusError as e:
        sys.stderr.write(f"score.py: refusing to run: {e}\n")
        return 2
    counts = {k: sum(1 for _, e in samples if e["label"] == k) for k in KINDS}
    if args.check:
        print(f"corpus ok: {counts['malicious']} malicious, {counts['benign']} benign")
        return 0
    if args.only:
        samples = [(k, e) for k, e in samples if any(s in k for s in args.only)]
        if not samples:
            sys.stderr.write("score.py: --only matched no sample\n")
            return 2

    binary = args.bin or default_bin()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        sys.stderr.write(f"score.py: no executable scanner at {binary} (use --bin or SKILLLITE_BIN_DIR)\n")
        return 2

    home = pathlib.Path(tempfile.mkdtemp(prefix="skilllite-scan-score-"))
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {}
            for key, _ in samples:
                sample_home = home / key.replace("/", "__")  # a fresh HOME (and cache) per scan
                sample_home.mkdir()
                futures[key] = pool.submit(scan_one, binary, corpus / key, args.timeout, sample_home)
            results = []
            for key, entry in samples:
                r = futures[key].result()
                r.update(sample=key, label=entry["label"], evasion=entry["evasion"])
                results.append(r)
    finally:
        shutil.rmtree(home, ignore_errors=True)

    metrics = compute_metrics(results)
    failed = check_requirements(args, metrics)
    if args.json_out != "-":
        print_report(results, metrics, sys.stdout)
    if args.json_out:
        doc = {"binary": str(binary), "metrics": metrics, "requirements_failed": failed,
               "samples": [{k: r[k] for k in ("sample", "label", "evasion", "verdict", "rules", "error",
                                                "warning")} for r in results]}
        text = json.dumps(doc, indent=2) + "\n"
        if args.json_out == "-":
            sys.stdout.write(text)
        else:
            pathlib.Path(args.json_out).write_text(text, encoding="utf-8")
    if failed:
        sys.stderr.write("score.py: requirements not met:\n  " + "\n  ".join(failed) + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
