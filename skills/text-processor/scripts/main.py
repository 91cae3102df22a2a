#!/usr/bin/env python3
"""text-processor skill: reads {"operation", "text", ...} as JSON on stdin, prints one JSON object.

Logical errors are printed as {"error": "..."} with exit status 0 (the skill contract)."""
import json
import sys

# The skill directory is read-only at run time: don't try to write __pycache__ next to textops.
sys.dont_write_bytecode = True

import textops  # noqa: E402  (scripts/ is on sys.path because this file lives there)

MAX_INPUT_BYTES = 8 * 1024 * 1024
MAX_LIMIT = 1000
OPERATIONS = ["count", "top_words", "upper", "lower", "title", "slugify", "reverse"]


class InputError(Exception):
    pass


def read_request():
    raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError(f"input is larger than {MAX_INPUT_BYTES} bytes")
    try:
        request = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"input is not valid UTF-8: {exc}") from None
    except ValueError as exc:  # json.JSONDecodeError, or a nesting too deep for the parser
        raise InputError(f"input is not JSON: {exc}") from None
    except RecursionError:
        raise InputError("input is not JSON this skill accepts: nested too deeply") from None
    if not isinstance(request, dict):
        raise InputError("input must be a JSON object")
    return request


def int_option(request, key, default, lo, hi):
    value = request.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise InputError(f"{key} must be an integer from {lo} to {hi}")
    return value


def process(request):
    op = request.get("operation")
    if op is None:
        raise InputError(f"operation is required (one of: {', '.join(OPERATIONS)})")
    if op not in OPERATIONS:
        raise InputError(f"unknown operation {op!r} (one of: {', '.join(OPERATIONS)})")
    if "text" not in request:
        raise InputError("text is required")
    text = request["text"]
    if not isinstance(text, str):
        raise InputError("text must be a string")

    if op == "count":
        result = textops.count(text)
    elif op == "top_words":
        limit = int_option(request, "limit", 10, 1, MAX_LIMIT)
        include = request.get("include_stopwords", False)
        if not isinstance(include, bool):
            raise InputError("include_stopwords must be true or false")
        result = textops.top_words(text, limit, include)
    elif op == "slugify":
        result = textops.slugify(text, int_option(request, "max_length", None, 1, 10000))
    elif op == "reverse":
        result = textops.reverse(text)
    else:
        result = textops.CASES[op](text)
    return {"operation": op, "result": result}


def emit(obj):
    text = json.dumps(obj, ensure_ascii=False)
    # A lone surrogate (valid in JSON as "\ud800", not encodable as UTF-8) can only sit inside a
    # string, where backslashreplace writes it back as that same JSON escape.
    sys.stdout.buffer.write(text.encode("utf-8", "backslashreplace") + b"\n")


def main():
    try:
        emit(process(read_request()))
    except InputError as exc:
        emit({"error": str(exc)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
