#!/bin/bash
# A rebuild after one news item changed, at agency scale, each binary in
# turn: every binary builds its own output twice (so that the third build
# has the output a swap replaced to stage into), then ROUNDS times: append a
# line to the newest news item, rebuild with each binary. One line per run:
# round, binary, wall s, user s, sys s, peak KiB.
#
#   bash scripts/bench_rebuild.sh NAME=BINARY...   (ROUNDS=4, BENCH_DIR=/tmp/pressroom-bench)
#
# The corpus is scripts/bench_agency.sh's (made there if missing).
set -euo pipefail
ROUNDS=${ROUNDS:-4}
DIR=${BENCH_DIR:-/tmp/pressroom-bench}
W=$DIR/agency
if [ ! -d "$W/content" ]; then
    cargo run --release --example corpus -- --news 100000 --publications 10000 --pdf-size 1024 --seed 2 \
        --feeds default --out "$W"
fi
export SOURCE_DATE_EPOCH=1735689600
cd "$W"
newest=content/news/$(ls content/news | sort | tail -1)
cp "$newest" "$DIR/newest.orig"
trap 'cp "$DIR/newest.orig" "$W/$newest"' EXIT
for spec in "$@"; do
    name=${spec%%=*} bin=${spec#*=} out=$DIR/out-$name
    rm -rf "$out" "$DIR/.out-$name".*
    "$bin" build --quiet --out "$out"
    "$bin" build --quiet --out "$out"
done
for round in $(seq "$ROUNDS"); do
    echo "Edited in round $round." >> "$newest"
    for spec in "$@"; do
        name=${spec%%=*} bin=${spec#*=} out=$DIR/out-$name
        echo "$round $name $(/usr/bin/time -f "%e %U %S %M" "$bin" build --quiet --out "$out" 2>&1 >/dev/null | tail -1)"
    done
done
for spec in "$@"; do
    name=${spec%%=*}
    rm -rf "$DIR/out-$name" "$DIR/.out-$name".*
done
