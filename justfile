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

# Regenerate the placeholder PDFs of content/publications/ from their titles.
pdfs:
    python3 scripts/placeholder_pdf.py --all
