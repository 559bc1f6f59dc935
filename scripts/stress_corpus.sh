# Sourced by the stress scripts: DIR (BENCH_DIR/foreign-writer, BENCH_DIR
# /tmp/pressroom-bench by default), the corpus made there if missing (2,000
# news, 3,000 publications with 1 KiB PDFs: a rebuild of 0.3 s, with 3,000
# PDF folders to walk), then entered.
DIR=${BENCH_DIR:-/tmp/pressroom-bench}/foreign-writer
if [ ! -d "$DIR/content" ]; then
    cargo run --release --example corpus -- --news 2000 --publications 3000 --pdf-size 1024 --seed 3 \
        --feeds default --out "$DIR" >/dev/null
fi
cd "$DIR"
