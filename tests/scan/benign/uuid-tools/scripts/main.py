import json
import sys
import uuid

NAMESPACES = {"dns": uuid.NAMESPACE_DNS, "url": uuid.NAMESPACE_URL,
              "oid": uuid.NAMESPACE_OID, "x500": uuid.NAMESPACE_X500}


def validate(value):
    try:
        u = uuid.UUID(str(value).strip())
    except ValueError:
        return {"valid": False}
    return {"valid": True, "version": u.version, "variant": u.variant, "canonical": str(u),
            "urn": u.urn, "hex": u.hex}


def generate(count):
    count = max(1, min(int(count), 1000))
    return {"uuids": [str(uuid.uuid4()) for _ in range(count)]}


def name_based(namespace, name):
    ns = NAMESPACES.get(namespace)
    if ns is None:
        ns = uuid.UUID(namespace)
    return {"uuid": str(uuid.uuid5(ns, name))}


def handle(req):
    op = req.get("operation", "validate")
    if op == "validate":
        return validate(req.get("value", ""))
    if op == "generate":
        return generate(req.get("count", 1))
    if op == "name":
        return name_based(req.get("namespace", "dns"), str(req.get("name", "")))
    return {"error": f"unknown operation {op!r}"}


if __name__ == "__main__":
    try:
        print(json.dumps(handle(json.load(sys.stdin))))
    except (ValueError, TypeError) as e:
        print(json.dumps({"error": str(e)}))
