"""JPEG header walking: SOFn for the size, APP1/EXIF for the orientation."""
import struct

SOF_MARKERS = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
ORIENTATION = {1: "normal", 2: "mirrored", 3: "rotated 180", 4: "flipped", 5: "transposed",
               6: "rotated 90 CW", 7: "transverse", 8: "rotated 90 CCW"}


def _exif_orientation(seg):
    if seg[:6] != b"Exif\x00\x00":
        return None
    tiff = seg[6:]
    endian = "<" if tiff[:2] == b"II" else ">"
    (ifd,) = struct.unpack(endian + "I", tiff[4:8])
    (count,) = struct.unpack(endian + "H", tiff[ifd:ifd + 2])
    for i in range(count):
        entry = tiff[ifd + 2 + 12 * i: ifd + 14 + 12 * i]
        tag, _typ, _n = struct.unpack(endian + "HHI", entry[:8])
        if tag == 0x0112:
            return struct.unpack(endian + "H", entry[8:10])[0]
    return None


def jpeg_info(b):
    info = {"format": "jpeg"}
    i = 2
    while i + 4 <= len(b):
        if b[i] != 0xFF:
            i += 1
            continue
        marker = b[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (length,) = struct.unpack(">H", b[i + 2:i + 4])
        seg = b[i + 4:i + 2 + length]
        if marker == 0xE1 and "orientation" not in info:
            o = _exif_orientation(seg)
            if o:
                info["orientation"] = ORIENTATION.get(o, str(o))
        if marker in SOF_MARKERS:
            depth, h, w, comps = struct.unpack(">BHHB", seg[:6])
            info.update(width=w, height=h, bit_depth=depth, components=comps,
                        progressive=marker == 0xC2)
            return info
        if marker == 0xDA:
            break
        i += 2 + length
    raise ValueError("JPEG without a frame header")
