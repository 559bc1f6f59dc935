#!/usr/bin/env bash
# Publishing benchmark (BENCHMARKS.md, "Publishing"): `pressroom publish`
# beside `aws s3 sync --delete` (PyPI awscli) against the same moto server on
# 127.0.0.1, on workload 2's corpus (100,000 news items, 10,000
# publications). Counts the requests each makes from moto's request log and
# times them on the monotonic clock: the first publish of the output, and the
# publish after one changed news item. With W3=1, also pressroom's first
# publish of workload 3 (400 PDFs of 5 MiB, 2 GiB); W2=0 leaves workload 2 out.
#
# Settings: BENCH_DIR (default /tmp/pressroom-bench, shared with
# scripts/bench.sh, whose corpora are reused), RUNS (changed-item runs, 3).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/pressroom-bench}
RUNS=${RUNS:-3}
say() { echo "== $*" >&2; }

python3 -c 'import moto.server, boto3' 2>/dev/null || python3 -m pip install --quiet 'moto[server]'
command -v aws >/dev/null || python3 -m pip install --quiet awscli

say "building the release binary and the corpus generator"
(cd "$repo" && cargo build --release --quiet --bin pressroom --example corpus)
mkdir -p "$BENCH_DIR/bin"
cp "$repo/target/release/pressroom" "$repo/target/release/examples/corpus" "$BENCH_DIR/bin/"
pressroom="$BENCH_DIR/bin/pressroom"
export SOURCE_DATE_EPOCH=1735689600

corpus() {
    local name=$1
    shift
    local dir="$BENCH_DIR/$name" want
    want=$(printf '%s ' "$@")
    if [[ -f "$dir/corpus.txt" && -f "$dir/args.txt" && "$(cat "$dir/args.txt")" == "$want" ]]; then
        return
    fi
    say "corpus $name: generating"
    rm -rf "$dir" && mkdir -p "$dir"
    "$BENCH_DIR/bin/corpus" --out "$dir" "$@"
    printf '%s' "$want" >"$dir/args.txt"
}

# --- the server -------------------------------------------------------------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log="$BENCH_DIR/moto.log"
PYTHONUNBUFFERED=1 python3 -m moto.server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto_pid=$!
trap 'kill $moto_pid 2>/dev/null || true' EXIT
until python3 -c "import socket; socket.create_connection(('127.0.0.1',$port))" 2>/dev/null; do sleep 0.2; done
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1
export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
aws="aws --endpoint-url $AWS_ENDPOINT_URL"
$aws s3 mb s3://bench >/dev/null

# requests since the log had $1 lines: "N (GET a, PUT b, …)"
count() {
    tail -n +"$(($1 + 1))" "$log" | grep -o '"[A-Z][A-Z]* /' | tr -d '" /' | sort | uniq -c |
        awk '{ n += $1; s = s (s ? ", " : "") $2 " " $1 } END { printf "%d (%s)", n, s }'
}
lines() { wc -l <"$log"; }
# timed LABEL COMMAND...: wall seconds and requests of one run.
timed() {
    local label=$1 mark t0 t1
    shift
    mark=$(lines)
    t0=$(date +%s%N)
    "$@" >/dev/null
    t1=$(date +%s%N)
    printf '| %s | %s | %s |\n' "$label" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f s", (b - a) / 1e9 }')" "$(count "$mark")"
}

# build: pressroom's build of the corpus in $dir.
build() { "$pressroom" build --quiet --content "$dir/content" --feeds "$dir/feeds" --out "$dir/public"; }
echo "| run | wall | requests |"
echo "|---|---|---|"

# --- workload 2 -------------------------------------------------------------------
if [[ ${W2:-1} == 1 ]]; then
corpus w2 --news 100000 --publications 10000 --pdf-size 1024 --seed 2 --feeds default --no-hugo
dir="$BENCH_DIR/w2"
rm -rf "$dir/public" "$dir/.public.pressroom-cache"
build
say "w2 output: $(find "$dir/public" -type f | wc -l) files, $(du -sh "$dir/public" | cut -f1)"
sync=($aws s3 sync "$dir/public" s3://bench/awscli --delete --exclude .pressroom.json --only-show-errors)
timed "w2 first publish, pressroom" "$pressroom" publish --quiet --out "$dir/public" --to s3://bench/pressroom
timed "w2 first publish, aws s3 sync" "${sync[@]}"
timed "w2 nothing changed, pressroom" "$pressroom" publish --quiet --out "$dir/public" --to s3://bench/pressroom
timed "w2 nothing changed, aws s3 sync" "${sync[@]}"
newest=$(ls "$dir/content/news" | sort | tail -1)
for ((i = 1; i <= RUNS; i++)); do
    printf '\nEdited for run %d.\n' "$i" >>"$dir/content/news/$newest"
    build
    timed "w2 one changed news item, pressroom (run $i)" "$pressroom" publish --quiet --out "$dir/public" --to s3://bench/pressroom
    timed "w2 one changed news item, aws s3 sync (run $i)" "${sync[@]}"
done
"$pressroom" publish --out "$dir/public" --to s3://bench/pressroom --dry-run 2>&1 | tail -1 >&2
fi

# --- workload 3 (2 GiB), pressroom's first publish ------------------------------------
if [[ ${W3:-0} == 1 ]]; then
    corpus w3-2g --news 0 --publications 400 --pdf-size 5242880 --seed 3 --feeds default --no-hugo
    dir="$BENCH_DIR/w3-2g"
    rm -rf "$dir/public" "$dir/.public.pressroom-cache"
    build
    say "w3 output: $(find "$dir/public" -type f | wc -l) files, $(du -sh "$dir/public" | cut -f1)"
    timed "w3 (2 GiB) first publish, pressroom" "$pressroom" publish --quiet --out "$dir/public" --to s3://bench/w3
fi
