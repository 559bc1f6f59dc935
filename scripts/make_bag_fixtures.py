#!/usr/bin/env python3
"""Writes the small hand-made bags of tests/fixtures/bags/, one per rule of
`pressroom verify` that the BagIt conformance suite and the BagIt drafts
taught (tests/it/verify_old_bags.rs checks them). Each bag's checksums are
computed here with Python's hashlib, independently of pressroom; a bag meant
to be damaged is damaged on purpose, after its manifests were written.

    python3 scripts/make_bag_fixtures.py      # rewrites tests/fixtures/bags/
"""

import hashlib
import os
import re
import shutil

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "bags")

HELLO = b"hello\n"
CAFE = "café menu\n".encode()


def digest(alg, data):
    if alg.startswith("blake2b-"):
        return hashlib.blake2b(data, digest_size=int(alg[8:]) // 8).hexdigest()
    return hashlib.new(alg, data).hexdigest()


def bag(
    name,
    payload,
    version="1.0",
    encoding="UTF-8",
    codec="utf-8",
    algs=("sha256",),
    info=None,
    info_name="bag-info.txt",
    sep="  ",
    eol="\n",
    prefix="",
    extra_lines=(),
    tags=None,
    tag_manifest=True,
    bagit_txt=None,
):
    """A bag `name`: `payload` maps paths under data/ to bytes (None: listed
    but absent); manifests in `algs`, tag files encoded with `codec`."""
    root = os.path.join(OUT, name)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "data"))
    files = {}
    files["bagit.txt"] = bagit_txt or f"BagIt-Version: {version}\nTag-File-Character-Encoding: {encoding}\n".encode()
    listed = {p: b for p, b in payload.items()}
    for alg in algs:
        lines = [f"{digest(alg, b or b'')}{sep}{prefix}{p}" for p, b in sorted(listed.items())]
        lines += list(extra_lines)
        files[f"manifest-{alg}.txt"] = "".join(l + eol for l in lines).encode(codec)
    if info is not None:
        present = [b for b in payload.values() if b is not None]
        oxum = f"{sum(len(b) for b in present)}.{len(present)}"
        text = info.replace("{oxum}", oxum)
        files[info_name] = text.replace("\n", eol).encode(codec)
    for rel, text in (tags or {}).items():
        files[rel] = text.encode(codec)
    if tag_manifest:
        for alg in algs:
            lines = [f"{digest(alg, b)}{sep}{rel}" for rel, b in sorted(files.items()) if "manifest-" not in rel]
            lines += [f"{digest(alg, files[f'manifest-{a}.txt'])}{sep}manifest-{a}.txt" for a in algs]
            files[f"tagmanifest-{alg}.txt"] = "".join(l + eol for l in lines).encode(codec)
    for rel, data in files.items():
        with open(os.path.join(root, rel), "wb") as f:
            f.write(data)
    for rel, data in payload.items():
        if data is None:
            continue
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    return root


def rewrite(root, rel, change):
    path = os.path.join(root, rel)
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(change(data))


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    two = {"data/hello.txt": HELLO, "data/café.txt": CAFE}
    latin = "Source-Organization: Bibliothèque nationale\nPayload-Oxum: {oxum}\n"

    # Tag files in the encoding bagit.txt declares: a manifest naming
    # `café.txt` in ISO-8859-1 is one byte 0xE9 where UTF-8 has two.
    bag("v0.97-iso-8859-1", two, "0.97", "ISO-8859-1", "latin-1", info=latin)
    # Python's "utf-16" writes a byte-order mark, little-endian.
    bag("v0.97-utf-16-bom", two, "0.97", "UTF-16", "utf-16", info=latin)
    bag("v0.97-utf-16-no-bom-be", two, "0.97", "UTF-16", "utf-16-be", info=latin)
    bag("v1.0-utf-16le", two, "1.0", "UTF-16LE", "utf-16-le", info=latin)
    # A UTF-8 byte-order mark in a manifest: read, with a warning.
    root = bag("v1.0-utf-8-bom-in-manifest", two, tag_manifest=False)
    rewrite(root, "manifest-sha256.txt", lambda b: b"\xef\xbb\xbf" + b)
    # bagit.txt must be UTF-8 without a BOM, whatever the version.
    bag("v0.97-bom-in-bagit-txt", two, bagit_txt=b"\xef\xbb\xbfBagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n")
    # An encoding verify does not read, a version it does not know: not
    # damage, cannot be checked (exit 5); a newer minor version: a warning.
    bag("v1.0-unknown-encoding", {"data/hello.txt": HELLO}, "1.0", "EBCDIC-US", "ascii")
    bag("v2.0-unknown-version", {"data/hello.txt": HELLO}, "2.0")
    bag("v1.1-newer-minor", {"data/hello.txt": HELLO}, "1.1")

    # BagIt 0.93 to 0.95: package-info.txt, CR LF lines, one space, MD5.
    old = "Source-Organization: Spengler University\nExternal-Description: Uncompressed TIFFs from the\n   Yoshimuri papers.\nPayload-Oxum: {oxum}\n"
    bag("v0.93-package-info", two, "0.93", algs=("md5",), info=old, info_name="package-info.txt", sep=" ", eol="\r\n")
    root = bag("v0.95-package-info-wrong-oxum", two, "0.95", algs=("md5",), info=old, info_name="package-info.txt", tag_manifest=False)
    rewrite(root, "package-info.txt", lambda b: re.sub(rb"Payload-Oxum: \d+", b"Payload-Oxum: 99", b))
    # Old Mac line ends, bare CR.
    bag("v0.96-cr-line-ends", two, "0.96", algs=("md5",), eol="\r")
    # fetch.txt with "-" for a length not known (0.96 and later).
    holey = {"data/hello.txt": HELLO, "data/remote.txt": None}
    fetch = {"fetch.txt": "https://example.org/remote.txt - data/remote.txt\n"}
    bag("v0.96-fetch-unknown-length", holey, "0.96", tags=fetch)
    bad_fetch = {"fetch.txt": "https://example.org/remote.txt many data/remote.txt\n"}
    bag("v0.97-fetch-bad-length", holey, "0.97", tags=bad_fetch)

    # A manifest line in another case than the file: one file on macOS and
    # Windows, a warning; its checksum still checked.
    case = ["%s  data/HELLO.txt" % digest("sha512", HELLO)]
    bag("v0.97-case-differs", {"data/hello.txt": HELLO}, "0.97", algs=("sha512",), extra_lines=case)
    wrong = ["%s  data/HELLO.txt" % digest("sha512", b"other\n")]
    bag("v0.97-case-differs-wrong-checksum", {"data/hello.txt": HELLO}, "0.97", algs=("sha512",), extra_lines=wrong)
    # `./data/…` paths: read, with a warning.
    bag("v0.97-dot-slash", two, "0.97", prefix="./")
    # Finder and Explorer files in the payload: valid, with a warning.
    bag("v0.97-system-files", {"data/hello.txt": HELLO, "data/.DS_Store": b"\0\0\0\1Bud1", "data/Thumbs.db": b"\xd0\xcf"}, "0.97")
    # BLAKE2b of other lengths is its own function, not a cut BLAKE2b-512.
    bag("v1.0-blake2b-256", two, algs=("blake2b-256",))
    bag("v1.0-blake2b-512", two, algs=("blake2b-512",))
    root = bag("v1.0-blake2b-256-damaged", two, algs=("blake2b-256",))
    rewrite(root, "data/hello.txt", lambda b: b.upper())


if __name__ == "__main__":
    main()
