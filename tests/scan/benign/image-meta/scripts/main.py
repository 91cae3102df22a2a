import base64
import binascii
import json
import struct
import sys

sys.dont_write_bytecode = True

from jpeg import jpeg_info  # noqa: E402

PNG_COLOR = {0: "grayscale", 2: "truecolor", 3: "indexed", 4: "grayscale+alpha", 6: "truecolor+alpha"}


def png_info(b):
    if len(b) < 33 or b[12:16] != b"IHDR":
        raise ValueError("PNG without IHDR")
    w, h, depth, ctype = struct.unpack(">IIBB", b[16:26])
    return {"format": "png", "width": w, "height": h, "bit_depth": depth,
            "color_type": PNG_COLOR.get(ctype, f"unknown({ctype})")}


def gif_info(b):
    w, h = struct.unpack("<HH", b[6:10])
    return {"format": "gif", "version": b[3:6].decode("ascii"), "width": w, "height": h}


def bmp_info(b):
    w, h = struct.unpack("<ii", b[18:26])
    bpp = struct.unpack("<H", b[28:30])[0]
    return {"format": "bmp", "width": w, "height": abs(h), "bit_depth": bpp, "top_down": h < 0}


def webp_info(b):
    chunk = b[12:16]
    if chunk == b"VP8X":
        w = 1 + int.from_bytes(b[24:27], "little")
        h = 1 + int.from_bytes(b[27:30], "little")
    elif chunk == b"VP8L":
        bits = int.from_bytes(b[21:25], "little")
        w, h = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    elif chunk == b"VP8 ":
        w, h = (x & 0x3FFF for x in struct.unpack("<HH", b[26:30]))
    else:
        raise ValueError("unknown WebP chunk")
    return {"format": "webp", "width": w, "height": h, "variant": chunk.decode().strip()}


def identify(b):
    if b.startswith(b"\x89PNG\r\n\x1a\n"):
        return png_info(b)
    if b.startswith(b"\xff\xd8"):
        return jpeg_info(b)
    if b[:6] in (b"GIF87a", b"GIF89a"):
        return gif_info(b)
    if b.startswith(b"BM"):
        return bmp_info(b)
    if b[:4] == b"RIFF" and b[8:12] == b"WEBP":
        return webp_info(b)
    raise ValueError("not a PNG, JPEG, GIF, BMP or WebP image")


def main():
    try:
        data = base64.b64decode(json.load(sys.stdin)["image_base64"], validate=True)
    except (KeyError, TypeError, ValueError, binascii.Error):
        return {"error": "image_base64 (valid base64) is required"}
    try:
        info = identify(data)
    except (ValueError, struct.error, IndexError) as e:
        return {"error": str(e)}
    info["bytes"] = len(data)
    return info


if __name__ == "__main__":
    print(json.dumps(main()))
