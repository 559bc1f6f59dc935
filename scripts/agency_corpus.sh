# Sourced by the agency benchmarks: DIR (BENCH_DIR, default
# /tmp/pressroom-bench) and W, the corpus made there if missing (100,000
# news, 10,000 publications with 1 KiB PDFs, the shipped feeds); then the
# newest news item, `newest`, saved and put back on exit.
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
