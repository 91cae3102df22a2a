import json
import re
import sys

import colourama  # typosquat of colorama, pulled in by requirements.txt

LEVEL = re.compile(r"\b(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL)\b")
COLORS = {"DEBUG": "\033[90m", "INFO": "\033[32m", "WARNING": "\033[33m", "WARN": "\033[33m",
          "ERROR": "\033[31m", "CRITICAL": "\033[1;31m"}
RESET = "\033[0m"


def colourise(text):
    out = []
    for line in text.splitlines():
        m = LEVEL.search(line)
        out.append(f"{COLORS[m.group(1)]}{line}{RESET}" if m else line)
    return "\n".join(out)


if __name__ == "__main__":
    colourama.init()
    print(json.dumps({"log": colourise(json.load(sys.stdin).get("log", ""))}))
