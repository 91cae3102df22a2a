#!/usr/bin/python3
"""Write the seed corpus of tests/fuzz/fuzz_source_archive: small tar, tar.gz and zip archives,
good ones and one of each attack the extractor refuses. Deterministic (fixed times), so running
it again changes nothing.
    /usr/bin/python3 tests/unit/data/source_fuzz_seeds.py [OUT_DIR]"""
import gzip
import io
import os
import sys
import tarfile
import warnings
import zipfile

SKILL_MD = b"---\nname: calc\ndescription: Adds numbers.\n---\nUse it.\n"


def tar_bytes(members, compress=False):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, kind, data in members:
            info = tarfile.TarInfo(name)
            info.mtime = 0
            info.mode = 0o755 if kind == "dir" else 0o644
            if kind == "dir":
                info.type = tarfile.DIRTYPE
                t.addfile(info)
            elif kind == "sym":
                info.type, info.linkname = tarfile.SYMTYPE, data
                t.addfile(info)
            elif kind == "hard":
                info.type, info.linkname = tarfile.LNKTYPE, data
                t.addfile(info)
            elif kind == "fifo":
                info.type = tarfile.FIFOTYPE
                t.addfile(info)
            else:
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
    # tarfile pads to 10 KiB records; two zero blocks end an archive, the rest only slows fuzzing
    body = raw.getvalue().rstrip(b"\0")
    body += bytes(-len(body) % 512 + 1024)
    return gzip.compress(body, mtime=0) if compress else body


def zip_bytes(members):
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as z:
        for name, kind, data in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            if kind == "sym":
                info.create_system = 3
                info.external_attr = (0o120777 << 16)
                z.writestr(info, data)
            else:
                info.external_attr = (0o100644 << 16)
                z.writestr(info, data)
    return raw.getvalue()


GOOD = [("calc/", "dir", b""), ("calc/SKILL.md", "file", SKILL_MD),
        ("calc/scripts/main.py", "file", b"print(1)\n"), ("calc/link", "sym", "SKILL.md")]

def seeds():
    return {
        "good.tar": tar_bytes(GOOD),
        "good.tgz": tar_bytes(GOOD, compress=True),
        "good.zip": zip_bytes(GOOD),
        "slip.tar": tar_bytes([("../evil", "file", b"x")]),
        "slip.zip": zip_bytes([("a/../../evil", "file", b"x")]),
        "abs.tar": tar_bytes([("/tmp/evil", "file", b"x")]),
        "symlink-out.tgz": tar_bytes([("calc/key", "sym", "/etc/passwd")], compress=True),
        "symlink-out.zip": zip_bytes([("calc/key", "sym", "../../../etc/passwd")]),
        "through-link.tar": tar_bytes([("d/", "dir", b""), ("l", "sym", "d"), ("l/x", "file", b"x")]),
        "hardlink.tar": tar_bytes([("a", "file", b"x"), ("b", "hard", "a")]),
        "fifo.tar": tar_bytes([("p", "fifo", b"")]),
        "dup.zip": zip_bytes([("a", "file", b"1"), ("a", "file", b"2")]),
        "bomb.zip": zip_bytes([("z", "file", bytes(1 << 20))]),
    }


def main():
    warnings.simplefilter("ignore")  # dup.zip is a duplicate name on purpose
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "..", "fuzz", "corpus", "fuzz_source_archive")
    os.makedirs(out, exist_ok=True)
    all_seeds = seeds()
    for name, data in sorted(all_seeds.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"{len(all_seeds)} seeds in {out}")


if __name__ == "__main__":
    main()
