import json
import pathlib
import sys
import tomllib

DEFAULTS = pathlib.Path(__file__).resolve().parent.parent / "assets" / "defaults.toml"
MAX_DEPTH = 32


def merge(base, override, sources, layer, prefix="", depth=0):
    if depth > MAX_DEPTH:
        raise ValueError("configuration nested too deeply")
    for key, value in override.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merge(base[key], value, sources, layer, path + ".", depth + 1)
        else:
            base[key] = value
            for stale in [k for k in sources if k == path or k.startswith(path + ".")]:
                del sources[stale]
            record(value, sources, layer, path)
    return base


def record(value, sources, layer, path):
    if isinstance(value, dict):
        for k, v in value.items():
            record(v, sources, layer, f"{path}.{k}")
    else:
        sources[path] = layer


def load_layer(layer):
    if "toml" in layer:
        return tomllib.loads(layer["toml"])
    if "json" in layer:
        data = layer["json"]
        return json.loads(data) if isinstance(data, str) else data
    raise ValueError(f"layer {layer.get('name', '?')!r} needs a toml or json field")


def main():
    req = json.load(sys.stdin)
    sources = {}
    merged = {}
    try:
        merge(merged, tomllib.loads(DEFAULTS.read_text(encoding="utf-8")), sources, "defaults")
        for i, layer in enumerate(req.get("layers", [])):
            data = load_layer(layer)
            if not isinstance(data, dict):
                raise ValueError("each layer must be a table/object")
            merge(merged, data, sources, layer.get("name") or f"layer{i + 1}")
    except (tomllib.TOMLDecodeError, ValueError) as e:
        return {"error": str(e)}
    return {"config": merged, "sources": dict(sorted(sources.items()))}


if __name__ == "__main__":
    print(json.dumps(main()))
