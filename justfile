# Recipes for working on pressroom. Nothing here is required: each recipe is
# one plain command you can also type yourself.

# Build the outputs of the shipped content store into public/.
build:
    cargo run --release

# The test suite, exactly as CI runs it.
test:
    cargo test

# Every check of a build, nothing written.
check:
    cargo run --release -- check

fmt:
    cargo fmt

lint:
    cargo fmt --check
    cargo clippy --all-targets -- -D warnings

# A PNG of each page pressroom writes for people (feed pages, the archive
# page), from a fresh build, in target/screenshots/. Needs Debian chromium.
screenshots:
    cargo run --release -- build --quiet --out target/screenshots/site
    for page in news publications archive; do chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --hide-scrollbars --window-size=1200,1600 --screenshot="$PWD/target/screenshots/$page.png" "file://$PWD/target/screenshots/site/$page/index.html"; done

# Regenerate the placeholder PDFs of content/publications/ from their titles.
pdfs:
    python3 scripts/placeholder_pdf.py --all

# Fuzz one target (front_matter, markdown or verify) for SECONDS, starting
# from the committed seeds. New inputs go to the scratch corpus fuzz/corpus/
# (ignored by git), so fuzz/seeds/ stays small; crashes land in
# fuzz/artifacts/TARGET/. Needs `cargo install cargo-fuzz` and nightly Rust.
fuzz TARGET SECONDS="600":
    mkdir -p fuzz/corpus/{{TARGET}}
    cargo +nightly fuzz run {{TARGET}} fuzz/corpus/{{TARGET}} fuzz/seeds/{{TARGET}} -- -max_total_time={{SECONDS}} -rss_limit_mb=512 -timeout=10

# Score `pressroom verify` on the BagIt conformance suite: SUITE_DIR is a
# checkout of LibraryOfCongress/bagit-conformance-suite (others' files, not
# kept here). Prints each bag verify disagrees on, and the score; the
# judgment calls are in README.md ("pressroom verify"). Give bagit.py as the
# command to score it the same way: python3 scripts/conformance.py SUITE_DIR
# bagit.py --validate.
conformance SUITE_DIR:
    cargo build
    python3 scripts/conformance.py {{SUITE_DIR}}

# Benchmarks side by side with Hugo and the zip tools (BENCHMARKS.md):
# about 18 minutes and 8 GiB of scratch space in /tmp.
bench:
    bash scripts/bench.sh

# Issue 20's agency-scale workload, binaries side by side (BENCHMARKS.md):
# just bench-agency base=/tmp/pressroom-794eb29 new=target/release/pressroom
bench-agency +BINARIES:
    bash scripts/bench_agency.sh {{BINARIES}}

# A rebuild after one edit, from the third build of a folder on, side by side:
# just bench-rebuild main=/tmp/pressroom-main new=target/release/pressroom
bench-rebuild +BINARIES:
    bash scripts/bench_rebuild.sh {{BINARIES}}
