#!/usr/bin/env python3
"""Scores a bag validator against the BagIt conformance suite
(github.com/LibraryOfCongress/bagit-conformance-suite), as its own
test-harness judges: a bag under valid/ must exit 0, under invalid/ (and
linux-only/, on Linux) must not exit 0, under warning/ must exit 0 and print
something on stderr. windows-only/ is left out, as the harness does on Linux.

    scripts/conformance.py [--all] SUITE_DIR [COMMAND...]

--all runs the windows-only/ bags too (paths that leave the bag on Windows:
a validator on any system should refuse them).

COMMAND defaults to `pressroom verify` (the newer of target/release and
target/debug, under $CARGO_TARGET_DIR when set); the bag's folder is appended to it. Prints
each bag that disagrees and the score; exits 1 when any disagrees.
"""

import os
import subprocess
import sys


def default_command():
    target = os.environ.get("CARGO_TARGET_DIR", "target")
    # The newer of the release and debug builds: the one just built.
    built = [os.path.join(target, p, "pressroom") for p in ("release", "debug")]
    built = [b for b in built if os.path.exists(b)]
    if not built:
        sys.exit(f"no pressroom binary under {target}/: run cargo build first")
    return [max(built, key=os.path.getmtime), "verify"]


def main():
    args = sys.argv[1:]
    everything = args[:1] == ["--all"]
    if everything:
        args = args[1:]
    if not args:
        sys.exit(__doc__)
    suite = args[0]
    command = args[1:] or default_command()
    # The suite's harness takes any stderr for a warning; pressroom prints
    # its summary there too, so for it a warning bag needs a `warning:`.
    strict = not args[1:]
    total = agreed = 0
    for version in sorted(os.listdir(suite)):
        version_dir = os.path.join(suite, version)
        if not version.startswith("v") or not os.path.isdir(version_dir):
            continue
        for category in sorted(os.listdir(version_dir)):
            if category == "windows-only" and not everything:
                continue
            category_dir = os.path.join(version_dir, category)
            for bag in sorted(os.listdir(category_dir)):
                path = os.path.join(category_dir, bag)
                if not os.path.isdir(path):
                    continue
                proc = subprocess.run(command + [bag], cwd=category_dir, capture_output=True)
                rc, err = proc.returncode, proc.stderr.strip()
                if category == "valid":
                    ok = rc == 0
                elif category == "warning":
                    ok = rc == 0 and bool(err) and (not strict or b"warning:" in err)
                else:
                    ok = rc != 0
                total += 1
                agreed += ok
                if not ok:
                    said = (proc.stdout + proc.stderr).decode("utf-8", "replace").strip().replace("\n", "\n      ")
                    print(f"DISAGREES {version}/{category}/{bag}: exit {rc}\n      {said}")
    print(f"{agreed} of {total} bags as the suite expects")
    sys.exit(0 if agreed == total else 1)


if __name__ == "__main__":
    main()
