import json
import sys


def fmt_labels(labels):
    if not labels:
        return ""
    inner = ",".join(f'{k}="{str(v)}"' for k, v in sorted(labels.items()))
    return "{" + inner + "}"


def exposition(metrics):
    lines = []
    for m in metrics:
        lines.append(f"# TYPE {m['name']} {m.get('type', 'gauge')}")
        lines.append(f"{m['name']}{fmt_labels(m.get('labels'))} {m['value']}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(json.dumps({"text": exposition(json.load(sys.stdin).get("metrics", []))}))
