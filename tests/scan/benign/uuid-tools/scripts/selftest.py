"""Check main.validate against the fixture list (run by hand: python3 scripts/selftest.py)."""
import json
import pathlib
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, str(pathlib.Path(__file__).parent))

from main import validate  # noqa: E402

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "assets" / "fixtures.json"


def run():
    data = json.loads(FIXTURES.read_text())
    bad = []
    for u in data["valid_v4"]:
        r = validate(u)
        if not r["valid"] or r["version"] != 4:
            bad.append(u)
    bad += [u for u in data["valid_other"] if not validate(u)["valid"]]
    bad += [u for u in data["invalid"] if validate(u)["valid"]]
    print(json.dumps({"checked": sum(len(v) for v in data.values()), "failures": bad}))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(run())
