#!/bin/bash
# A rebuild after one news item changed, at agency scale, each binary in
# turn: every binary builds its own output twice (so that the third build
# has the output a swap replaced to stage into), then ROUNDS times: append a
# line to the newest news item, rebuild with each binary. One line per run:
# round, binary, wall s, user s, sys s, peak KiB.
#
#   bash scripts/bench_rebuild.sh NAME=BINARY...   (ROUNDS=4, BENCH_DIR=/tmp/pressroom-bench)
#
# WEBROOT=1: each output is a site's web root (it holds the site's own
# index.html), so every build commits in place, file by file.
#
# The corpus is bench_agency.sh's; scripts/agency_corpus.sh makes it if missing.
set -euo pipefail
ROUNDS=${ROUNDS:-4}
. "$(dirname "$0")/agency_corpus.sh"
for spec in "$@"; do
    name=${spec%%=*} bin=${spec#*=} out=$DIR/out-$name
    rm -rf "$out" "$DIR/.out-$name".*
    if [ -n "${WEBROOT:-}" ]; then
        mkdir "$out"
        echo "the site's home page" > "$out/index.html"
        "$bin" build --quiet --out "$out" --into-existing
    else
        "$bin" build --quiet --out "$out"
    fi
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
