#!/bin/bash
# A file of pressroom's that the site replaces while a build puts its files
# in place must stay the site's. The output is a web root (it holds the
# site's index.html, so every build goes in place). N rounds (default 40),
# each: the news feed removed and built again; one news item edited; then a
# build during which the site replaces news/rss.xml (a file renamed over
# it, as generators write) at a random moment. Whether the build stopped or
# not, the site's feed must be what is left there. Prints how many of the N
# were lost: 0.
#
#   bash scripts/stress_site_replaces.sh BINARY   (N=40, BENCH_DIR=/tmp/pressroom-bench,
#                                                  DELAY=0-0.35: the replacement's moment, in seconds)
#
# Aim DELAY at the end of the build, where it puts its files in place: a
# one-edit rebuild there took 1.25 s before d89832f (DELAY=1.0-1.4) and
# 0.14 s after (DELAY=0.05-0.2), on the machine of BENCHMARKS.md's ninth
# session.
#
# The corpus is stress_corpus.sh's (made in BENCH_DIR if missing).
set -euo pipefail
BIN=$(realpath "$1")
. "$(dirname "$0")/stress_corpus.sh"
newest=content/news/$(ls content/news | sort | tail -1)
cp "$newest" "$DIR/../site-replaces.orig"
trap 'cp "$DIR/../site-replaces.orig" "$DIR/$newest"; rm -rf "$DIR/public" "$DIR"/.public.*' EXIT
rm -rf public .public.*
mkdir public
echo "the site's home page" > public/index.html
export SOURCE_DATE_EPOCH=1735689600
"$BIN" build --quiet --out public --into-existing
lost=0 stopped=0
for round in $(seq "${N:-40}"); do
    rm -f public/news/rss.xml
    "$BIN" build --quiet --out public
    echo "Edited in round $round." >> "$newest"
    delay=$(awk -v seed="$RANDOM" -v range="${DELAY:-0-0.35}" \
        'BEGIN { srand(seed); split(range, r, "-"); printf "%.3f", r[1] + rand() * (r[2] - r[1]) }')
    (sleep "$delay"; echo "the site's feed, round $round" > public/news/.rss.xml.site
        mv public/news/.rss.xml.site public/news/rss.xml) &
    "$BIN" build --quiet --out public 2>/dev/null || stopped=$((stopped + 1))
    wait
    grep -q "the site's feed, round $round" public/news/rss.xml || lost=$((lost + 1))
done
echo "lost $lost of ${N:-40} (builds stopped: $stopped)"
