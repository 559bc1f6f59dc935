#!/bin/bash
# A file the site's own generator writes into the output while a build runs
# must stay there. N rounds (default 40), each: a build that swaps (the output
# holds only pressroom's files), then a build during which one file is written
# into the output at a random moment, then a third build; the file must still
# be in the output. Prints how many of the N files were lost: 0.
#
#   bash scripts/stress_foreign_writer.sh BINARY   (N=40, BENCH_DIR=/tmp/pressroom-bench)
#
# The corpus (2,000 news, 3,000 publications: a rebuild of 0.3 s, with 3,000
# PDF folders to walk) is made in BENCH_DIR if missing. pressroom before
# e40c09d lost 2 of 40 here.
set -euo pipefail
BIN=$(realpath "$1")
DIR=${BENCH_DIR:-/tmp/pressroom-bench}/foreign-writer
if [ ! -d "$DIR/content" ]; then
    cargo run --release --example corpus -- --news 2000 --publications 3000 --pdf-size 1024 --seed 3 \
        --feeds default --out "$DIR" >/dev/null
fi
cd "$DIR"
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
