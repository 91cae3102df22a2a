import csv
import html
import json
import os
import re
import shutil
import sys
import tempfile


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "report"


def markdown(title, columns, rows):
    out = [f"# {title}", "", "| " + " | ".join(map(str, columns)) + " |",
           "|" + "|".join("---" for _ in columns) + "|"]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def html_page(title, columns, rows):
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                   for row in rows)
    return (f"<!doctype html><meta charset=utf-8><title>{html.escape(title)}</title>"
            f"<h1>{html.escape(title)}</h1><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>\n")


def write_report(title, columns, rows):
    base = os.path.join(tempfile.gettempdir(), "reports")
    target = os.path.join(base, slug(title))
    os.makedirs(base, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=base) as work:
        with open(os.path.join(work, "report.md"), "w", encoding="utf-8") as fh:
            fh.write(markdown(title, columns, rows))
        with open(os.path.join(work, "report.csv"), "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(columns)
            w.writerows(rows)
        with open(os.path.join(work, "report.html"), "w", encoding="utf-8") as fh:
            fh.write(html_page(title, columns, rows))
        if os.path.isdir(target):
            shutil.rmtree(target)  # replace our own previous report of the same name
        shutil.copytree(work, target)
    return [{"path": os.path.join(target, f), "bytes": os.path.getsize(os.path.join(target, f))}
            for f in sorted(os.listdir(target))]


def main():
    req = json.load(sys.stdin)
    columns, rows = req.get("columns"), req.get("rows")
    if not isinstance(columns, list) or not isinstance(rows, list):
        return {"error": "columns and rows must be lists"}
    if any(not isinstance(r, list) or len(r) != len(columns) for r in rows):
        return {"error": "every row must have one value per column"}
    title = str(req.get("title") or "Report")
    files = write_report(title, columns, rows)
    return {"files": files, "preview": "\n".join(markdown(title, columns, rows[:5]).splitlines()[2:])}


if __name__ == "__main__":
    print(json.dumps(main()))
