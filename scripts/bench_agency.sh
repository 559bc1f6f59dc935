#!/bin/bash
# Issue 20's agency-scale workload (100,000 news, 10,000 publications with
# 1 KiB PDFs, the shipped feeds: limit 50, archive documents per month),
# each binary in turn, in rounds: a first build, a rebuild with nothing
# changed, a check after one news item changed (with `--out` where the
# binary knows it, so it reads that build's cache), and the rebuild after
# that change. One line per run: round, binary, run, wall s, user s, sys s,
# peak KiB.
#
#   bash scripts/bench_agency.sh NAME=BINARY...   (RUNS=3, BENCH_DIR=/tmp/pressroom-bench)
#
# Each run's output (1.2 GB) is kept until the end, and written to disk
# (`sync`) before the next first build: a first build right after deleting
# 11,000 files pays for it (ext4 passes over inodes freed in the last minutes
# when it makes new ones, 2-3 s here), and one behind another's unwritten
# gigabyte pays for that. A first build in CI meets neither.
set -euo pipefail
RUNS=${RUNS:-3}
. "$(dirname "$0")/agency_corpus.sh"
t() { /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1; }
for round in $(seq "$RUNS"); do
    for spec in "$@"; do
        name=${spec%%=*} bin=${spec#*=} out=$DIR/out-$name-$round
        sync
        echo "$round $name first $(t "$bin" build --quiet --out "$out")"
        echo "$round $name same $(t "$bin" build --quiet --out "$out")"
        echo "Edited in round $round." >> "$newest"
        if "$bin" check --help | grep -q -- '--out'; then
            echo "$round $name check $(t "$bin" check --quiet --out "$out")"
        else
            echo "$round $name check $(t "$bin" check --quiet)"
        fi
        echo "$round $name one $(t "$bin" build --quiet --out "$out")"
        cp "$DIR/newest.orig" "$newest"
    done
done
for spec in "$@"; do
    rm -rf "$DIR/out-${spec%%=*}"-* "$DIR/.out-${spec%%=*}"-*
done
