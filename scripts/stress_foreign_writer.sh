#!/bin/bash
# A file the site's own generator writes into the output while a build runs
# must stay there. N rounds (default 40), each: a build that swaps (the output
# holds only pressroom's files), then a build during which one file is written
# into the output at a random moment, then a third build; the file must still
# be in the output. Prints how many of the N files were lost: 0.
#
#   bash scripts/stress_foreign_writer.sh BINARY   (N=40, BENCH_DIR=/tmp/pressroom-bench)
#
# The corpus is stress_corpus.sh's (made in BENCH_DIR if missing). pressroom before
# e40c09d lost 2 of 40 here.
set -euo pipefail
BIN=$(realpath "$1")
. "$(dirname "$0")/stress_corpus.sh"
rm -rf public .public.*
export SOURCE_DATE_EPOCH=1735689600
"$BIN" build --quiet --out public
"$BIN" build --quiet --out public
lost=0
for round in $(seq "${N:-40}"); do
    rm -f public/site-*.html
    "$BIN" build --quiet --out public
    delay=$(awk -v seed="$RANDOM" 'BEGIN { srand(seed); printf "%.3f", rand() * 0.35 }')
    (sleep "$delay"; echo "$round" > "public/site-$round.html") &
    "$BIN" build --quiet --out public
    wait
    "$BIN" build --quiet --out public
    [ -e "public/site-$round.html" ] || lost=$((lost + 1))
done
echo "lost $lost of ${N:-40}"
