#!/usr/bin/env python3
"""The Python peer of pressroom's archive benchmark (BENCHMARKS.md, workload 3).

Stores every PDF under SRC in one zip (no compression, ZIP64 where needed) and
writes their SHA-256 beside it, as a script around zipfile would: each file is
read once, in 1 MiB blocks, and each block goes both into the hash and into
the zip entry.

    python3 scripts/bench_zip_peer.py SRC_DIR OUT.zip    # also writes OUT.zip.sha256
"""

import hashlib
import os
import sys
import zipfile

BLOCK = 1 << 20


def main(src: str, out: str) -> None:
    names = sorted(
        os.path.join(root, name)
        for root, _, files in os.walk(src)
        for name in files
        if name.lower().endswith(".pdf")
    )
    lines = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as bundle:
        for path in names:
            arcname = os.path.relpath(path, src)
            info = zipfile.ZipInfo.from_file(path, arcname)
            info.compress_type = zipfile.ZIP_STORED
            digest = hashlib.sha256()
            with open(path, "rb") as f, bundle.open(info, "w", force_zip64=info.file_size >= 1 << 31) as entry:
                while block := f.read(BLOCK):
                    digest.update(block)
                    entry.write(block)
            lines.append(f"{digest.hexdigest()}  {arcname}\n")
    with open(out + ".sha256", "w", encoding="utf-8") as manifest:
        manifest.writelines(lines)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
