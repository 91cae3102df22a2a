#!/usr/bin/env python3
"""csv-to-json: CSV text in, JSON records out.

Reads {"csv": ..., "delimiter": ..., "infer_types": ...} on stdin (the skill contract), or a file
given with --file when run by hand.
"""
import argparse
import csv
import io
import json
import sys

sys.dont_write_bytecode = True

from infer import infer_value  # noqa: E402

MAX_BYTES = 16 * 1024 * 1024


def sniff_delimiter(sample):
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def unique_headers(headers):
    seen = {}
    out = []
    for h in headers:
        h = h.strip() or "column"
        if h in seen:
            seen[h] += 1
            out.append(f"{h}_{seen[h]}")
        else:
            seen[h] = 1
            out.append(h)
    return out


def convert(text, delimiter=None, infer_types=True):
    if not text.strip():
        return {"rows": [], "columns": [], "count": 0}
    delimiter = delimiter or sniff_delimiter(text[:4096])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    columns = unique_headers(next(reader))
    rows = []
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue
        record += [""] * (len(columns) - len(record))
        row = {}
        for name, cell in zip(columns, record):
            row[name] = infer_value(cell) if infer_types else cell
        rows.append(row)
    return {"rows": rows, "columns": columns, "count": len(rows)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", help="read CSV from this file instead of JSON on stdin")
    parser.add_argument("--delimiter", default=None)
    parser.add_argument("--no-infer", action="store_true", help="keep every cell as a string")
    args = parser.parse_args(argv)

    if args.file:
        with open(args.file, newline="", encoding="utf-8-sig") as fh:
            result = convert(fh.read(), args.delimiter, not args.no_infer)
    else:
        raw = sys.stdin.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            print(json.dumps({"error": "input too large"}))
            return 0
        try:
            req = json.loads(raw or "{}")
        except json.JSONDecodeError as exc:
            print(json.dumps({"error": f"input is not JSON: {exc}"}))
            return 0
        if not isinstance(req.get("csv"), str):
            print(json.dumps({"error": "csv (a string) is required"}))
            return 0
        result = convert(req["csv"], req.get("delimiter"), req.get("infer_types", True))
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
