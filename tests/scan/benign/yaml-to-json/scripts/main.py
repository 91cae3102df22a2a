import datetime
import json
import sys

import yaml


def _jsonable(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value


def yaml_to_json(text):
    docs = [_jsonable(d) for d in yaml.safe_load_all(text)]
    if len(docs) == 1:
        return {"json": docs[0]}
    return {"documents": docs}


def json_to_yaml(obj):
    return {"yaml": yaml.safe_dump(obj, sort_keys=False, allow_unicode=True, default_flow_style=False)}


def main():
    req = json.load(sys.stdin)
    try:
        if req.get("to") == "yaml":
            return json_to_yaml(req.get("json"))
        if not isinstance(req.get("yaml"), str):
            return {"error": "yaml (a string) is required"}
        return yaml_to_json(req["yaml"])
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return {"error": f"invalid YAML{where}: {getattr(e, 'problem', e)}"}


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False))
