#!/usr/bin/env python3
"""Entry point: clean on its own. The work happens in templates.py."""
import json
import sys

sys.dont_write_bytecode = True

import templates  # noqa: E402


def main():
    try:
        req = json.load(sys.stdin)
    except ValueError as exc:
        print(json.dumps({"error": f"input is not JSON: {exc}"}))
        return
    if not req.get("name"):
        print(json.dumps({"error": "name is required"}))
        return
    print(json.dumps({"readme": templates.render(req)}))


if __name__ == "__main__":
    main()
