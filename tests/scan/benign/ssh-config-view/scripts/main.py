"""Resolve effective ssh_config options for a host, from config *text* supplied by the user.

ssh(1) semantics: for each option the first obtained value wins, except IdentityFile,
CertificateFile and LocalForward-like options, which accumulate. This module does no file I/O.
"""
import fnmatch
import json
import sys

MULTI = {"identityfile", "certificatefile", "localforward", "remoteforward", "dynamicforward",
         "sendenv"}


def host_matches(patterns, host):
    matched = False
    for pat in patterns:
        negate = pat.startswith("!")
        if fnmatch.fnmatchcase(host, pat[1:] if negate else pat):
            if negate:
                return False
            matched = True
    return matched


def resolve(text, host):
    if "PRIVATE KEY-----" in text:
        raise ValueError("that looks like a private key, not a config file - please do not paste keys")
    options = {}
    blocks = []
    active = True  # options before the first Host line apply to every host
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        key, _, val = line.replace("=", " ", 1).partition(" ")
        key, val = key.lower(), val.strip().strip('"')
        if key == "host":
            patterns = val.split()
            active = host_matches(patterns, host)
            if active:
                blocks.append(val)
            continue
        if key == "match":
            active = val.lower() == "all"
            continue
        if not active:
            continue
        if key in MULTI:
            options.setdefault(key, []).append(val)
        elif key not in options:
            options[key] = val
    options.setdefault("hostname", host)
    return {"host": host, "matched_blocks": blocks, "options": options}


if __name__ == "__main__":
    req = json.load(sys.stdin)
    try:
        if not isinstance(req.get("config"), str) or not req.get("host"):
            raise ValueError("config (text) and host are required")
        print(json.dumps(resolve(req["config"], str(req["host"]))))
    except ValueError as e:
        print(json.dumps({"error": str(e)}))
