"""tests/scan holds data, not tests: never let pytest import a sample. Some benign samples ship
their own test_*.py files, and malicious samples must never be executed. The corpus is exercised
by tests/e2e/test_scan_corpus.py through score.py."""
collect_ignore_glob = ["malicious/*", "benign/*"]
