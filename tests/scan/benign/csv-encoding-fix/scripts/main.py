import base64
import binascii
import codecs
import json
import sys

BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
# bytes that are printable in cp1252 but undefined in it would mean "not cp1252"
CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
MOJIBAKE_MARKERS = ("Ã©", "Ã¨", "Ã¶", "Ã¼", "Ã¤", "â€™", "â€œ", "Ã ")


def detect(data):
    for bom, enc in BOMS:
        if data.startswith(bom):
            return enc, "high"
    if data[:200].count(b"\x00") > 20:
        return ("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"), "medium"
    try:
        data.decode("utf-8")
        return "utf-8", "high"
    except UnicodeDecodeError:
        pass
    if not any(b in CP1252_UNDEFINED for b in data):
        return "cp1252", "medium"
    return "latin-1", "low"


def fix_mojibake(text):
    if not any(m in text for m in MOJIBAKE_MARKERS):
        return text, False
    try:
        return text.encode("cp1252").decode("utf-8"), True
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text, False


def main():
    req = json.load(sys.stdin)
    try:
        data = base64.b64decode(req.get("data_base64", ""), validate=True)
    except (binascii.Error, ValueError):
        return {"error": "data_base64 is not valid base64"}
    encoding, confidence = detect(data)
    text = data.decode(encoding, errors="replace").replace("\r\n", "\n")
    repaired = False
    if req.get("fix_mojibake", True):
        text, repaired = fix_mojibake(text)
    return {"encoding": encoding, "confidence": confidence, "mojibake_fixed": repaired, "text": text}


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False))
