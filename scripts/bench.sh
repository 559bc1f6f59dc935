#!/usr/bin/env bash
# pressroom's benchmark suite, side by side with its peers (BENCHMARKS.md).
#
#   bash scripts/bench.sh            # or: just bench
#
# Installs what it needs (hugo, zip, GNU time; Debian packages), builds the
# release binary and the corpus generator, generates the corpora under
# $BENCH_DIR (kept between runs and reused when their arguments match),
# runs every workload alternating pressroom with its peers, and prints a
# Markdown table of medians, min-max and peak RSS.
#
# Environment:
#   BENCH_DIR=/tmp/pressroom-bench   scratch folder (corpora, outputs); not in the repo
#   RUNS=5                           timed runs per contender and workload
#   HUGO_50K_RUNS=3                  timed runs of Hugo at 50,000 items (about 1-2 min each;
#                                    its rebuild is timed at 10,000 only: Hugo redoes everything)
#   W3_RUNS=3                        timed runs of workload 3 (about 2 min a round here)
#   BENCH_8G=1                       also run workload 3 on 8 GiB of PDFs (1 run each; ~10 GiB more disk)
#   ONLY="w1 w2 w3"                  a subset of the workloads
#   W1_SIZES="10000 50000"           the sizes of workload 1 (e.g. W1_SIZES=50000 for the 50k row alone)
#   BASELINE=PATH                    another pressroom binary (e.g. one built from main), timed in
#                                    workload 1 in the same rounds as "pressroom (baseline)"
#   KEEP_OUTPUT=1                    keep the outputs (public/, zips) after the run
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/pressroom-bench}
RUNS=${RUNS:-5}
HUGO_50K_RUNS=${HUGO_50K_RUNS:-3}
W3_RUNS=${W3_RUNS:-3}
ONLY=${ONLY:-"w1 w2 w3"}
W1_SIZES=${W1_SIZES:-"10000 50000"}
BASELINE=${BASELINE:-}
mkdir -p "$BENCH_DIR"
results="$BENCH_DIR/results.tsv"
: >"$results"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
wants() { [[ " $ONLY " == *" $1 "* ]]; }

# --- tools -----------------------------------------------------------------
missing=()
command -v hugo >/dev/null || missing+=(hugo)
command -v zip >/dev/null || missing+=(zip)
command -v sha256sum >/dev/null || missing+=(coreutils)
[[ -x /usr/bin/time ]] || missing+=(time)
command -v python3 >/dev/null || missing+=(python3)
if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    sudo=""
    [[ $(id -u) == 0 ]] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
hugo_version=$(hugo version 2>/dev/null | grep -o 'v[0-9][0-9.]*' | head -1)

# --- binaries ----------------------------------------------------------------
say "building the release binary and the corpus generator"
(cd "$repo" && cargo build --release --quiet --bin pressroom --example corpus)
target=$(cd "$repo" && cargo metadata --format-version 1 --no-deps 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
# Copies, so that another build in the same target folder during the run
# cannot swap the binary under the benchmark.
mkdir -p "$BENCH_DIR/bin"
cp "$target/release/pressroom" "$target/release/examples/corpus" "$BENCH_DIR/bin/"
[[ -z $BASELINE ]] || cp "$BASELINE" "$BENCH_DIR/bin/baseline"
pressroom="$BENCH_DIR/bin/pressroom"
corpus_bin="$BENCH_DIR/bin/corpus"

# --- corpora -------------------------------------------------------------------
# corpus NAME ARGS...: generated once; reused while corpus.txt says the same.
corpus() {
    local name=$1
    shift
    local dir="$BENCH_DIR/$name"
    local want
    want=$(printf '%s ' "$@")
    if [[ -f "$dir/corpus.txt" && -f "$dir/args.txt" && "$(cat "$dir/args.txt")" == "$want" ]]; then
        say "corpus $name: reused"
        return
    fi
    say "corpus $name: generating ($want)"
    rm -rf "$dir"
    mkdir -p "$dir"
    local t0=$SECONDS
    "$corpus_bin" --out "$dir" "$@"
    printf '%s' "$want" >"$dir/args.txt"
    say "corpus $name: $(du -sh "$dir/content" | cut -f1) in $((SECONDS - t0)) s"
}

# --- measuring -------------------------------------------------------------------
# measure WORKLOAD CONTENDER PREP -- COMMAND...: runs PREP (untimed), then
# COMMAND under GNU time; records wall seconds (from the monotonic clock) and
# peak RSS (KiB, the largest process of the command). Every run starts with
# the disk written (`sync`, untimed): else a run pays for the writeback of
# the run before it (370 MB of pressroom's full feeds, 50,000 pages of
# Hugo's), whichever contender that was.
measure() {
    local workload=$1 contender=$2 prep=$3
    shift 4
    eval "$prep"
    sync
    local stats="$BENCH_DIR/.time"
    local t0 t1
    t0=$(date +%s%N)
    if ! /usr/bin/time -f '%M' -o "$stats" "$@" >"$BENCH_DIR/.out" 2>&1; then
        echo "FAILED: $*" >&2
        tail -20 "$BENCH_DIR/.out" >&2
        exit 1
    fi
    t1=$(date +%s%N)
    local wall
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    printf '%s\t%s\t%s\t%s\n' "$workload" "$contender" "$wall" "$(tail -1 "$stats")" >>"$results"
    printf '   %-34s %-28s %8.3f s %8d MiB\n' "$workload" "$contender" "$wall" "$(($(tail -1 "$stats") / 1024))" >&2
}

# pr DIR: the command line of pressroom's full build of a corpus.
pr() { echo "$pressroom" build --quiet --content "$1/content" --feeds "$1/feeds" --out "$1/public"; }
build() { $(pr "$1"); } # untimed (warm-up)
export SOURCE_DATE_EPOCH=1735689600 # 2025-01-01: every generated item is older

# --- workload 1: full-content feeds, pressroom and Hugo ----------------------------
w1() {
    local n=$1 name=$2 hugo_runs=$3
    local dir="$BENCH_DIR/$name"
    local w="1. feeds, full, ${n} items"
    local r="4. rebuild of 1 (${n})"
    local hugo=(hugo --quiet --source "$dir/hugo" --destination "$dir/hugo-public" --cacheDir "$dir/hugo-cache")
    say "workload 1 at $n items: pressroom and Hugo $hugo_version, alternating"
    build "$dir" >/dev/null # warm-up (page cache)
    for ((i = 1; i <= RUNS; i++)); do
        measure "$w" pressroom "rm -rf '$dir/public' '$dir/.public.pressroom-cache' '$dir/.public.pressroom-previous'" -- $(pr "$dir")
        measure "$r" pressroom ":" -- $(pr "$dir")
        if [[ -n $BASELINE ]]; then
            measure "$w" "pressroom (baseline)" "rm -rf '$dir/public' '$dir/.public.pressroom-cache' '$dir/.public.pressroom-previous'" -- \
                "$BENCH_DIR/bin/baseline" build --quiet --content "$dir/content" --feeds "$dir/feeds" --out "$dir/public"
        fi
        if ((i <= hugo_runs)); then
            measure "$w" "Hugo $hugo_version" "rm -rf '$dir/hugo-public' '$dir/hugo-cache'" -- "${hugo[@]}"
            ((n > 10000)) || measure "$r" "Hugo $hugo_version" ":" -- "${hugo[@]}"
        fi
    done
    # The same work on both sides: every item in both feeds, and the sitemap.
    local p h
    p=$(grep -o '<item>' "$dir/public/news/rss.xml" | wc -l)/$(grep -o '<entry>' "$dir/public/news/atom.xml" | wc -l)
    h=$(grep -o '<item>' "$dir/hugo-public/index.xml" | wc -l)/$(grep -o '<entry>' "$dir/hugo-public/atom.xml" | wc -l)
    say "items in RSS/Atom: pressroom $p, Hugo $h"
}

if wants w1; then
    if [[ " $W1_SIZES " == *" 10000 "* ]]; then
        corpus w1-10k --news 10000 --publications 0 --seed 1 --feeds full
        w1 10000 w1-10k "$RUNS"
    fi
    if [[ " $W1_SIZES " == *" 50000 "* ]]; then
        corpus w1-50k --news 50000 --publications 0 --seed 1 --feeds full
        w1 50000 w1-50k "$HUGO_50K_RUNS"
    fi
fi

# --- workload 2: the everyday CI build -------------------------------------------------
if wants w2; then
    corpus w2 --news 100000 --publications 10000 --pdf-size 1024 --seed 2 --feeds default --no-hugo
    dir="$BENCH_DIR/w2"
    say "workload 2: 100,000 news, 10,000 publications, shipped feeds"
    build "$dir" >/dev/null
    for ((i = 1; i <= RUNS; i++)); do
        measure "2. feeds, default, 100k+10k" pressroom "rm -rf '$dir/public' '$dir/.public.pressroom-cache' '$dir/.public.pressroom-previous'" -- $(pr "$dir")
        measure "4. rebuild of 2" pressroom ":" -- $(pr "$dir")
    done
fi

# --- workload 3: archive bundles, pressroom and the zip tools ----------------------------
w3() {
    local name=$1 runs=$2 label=$3
    local dir="$BENCH_DIR/$name"
    local peer="$dir/peer"
    local w="3. archive, $label" r="4. rebuild of 3 ($label)"
    local zip_cmd="cd '$dir/content/publications' && zip -q -0 -r '$peer/zip.zip' pdf && sha256sum pdf/*.pdf > '$peer/zip.sha256'"
    mkdir -p "$peer"
    say "workload 3, $label: pressroom, Python zipfile, zip -0 + sha256sum, alternating"
    build "$dir" >/dev/null
    [[ -d "$dir/public/archive" ]] || say "no public/archive: the archive stage has not landed; pressroom's row is the rest of the build"
    for ((i = 1; i <= runs; i++)); do
        measure "$w" pressroom "rm -rf '$dir/public' '$dir/.public.pressroom-cache' '$dir/.public.pressroom-previous'" -- $(pr "$dir")
        measure "$r" pressroom ":" -- $(pr "$dir")
        measure "$w" "Python zipfile + hashlib" "rm -f '$peer'/py.zip*" -- \
            python3 "$repo/scripts/bench_zip_peer.py" "$dir/content/publications/pdf" "$peer/py.zip"
        measure "$w" "zip -0 -r + sha256sum" "rm -f '$peer'/zip.*" -- bash -c "$zip_cmd"
    done
    ls -l "$dir/public/archive" 2>/dev/null | awk 'NR > 1 { n++; s += $5 } END { printf "   archive/: %d files, %.2f GiB\n", n, s / 2^30 }' >&2
}

if wants w3; then
    corpus w3-2g --news 0 --publications 400 --pdf-size 5242880 --seed 3 --feeds default --no-hugo
    w3 w3-2g "$W3_RUNS" "400 x 5 MiB (2 GiB)"
    if [[ ${BENCH_8G:-0} == 1 ]]; then
        corpus w3-8g --news 0 --publications 1600 --pdf-size 5242880 --seed 3 --feeds default --no-hugo
        w3 w3-8g 1 "1600 x 5 MiB (8 GiB)"
    fi
fi

# --- the table -----------------------------------------------------------------------------
python3 - "$results" <<'EOF'
import collections, statistics, sys

rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    workload, contender, wall, rss = line.rstrip("\n").split("\t")
    rows.setdefault(workload, collections.OrderedDict()).setdefault(contender, []).append((float(wall), int(rss)))

def fmt(s):
    return f"{s:.2f} s" if s >= 0.995 else f"{s * 1000:.0f} ms"

print("| workload | contender | runs | median | min-max | peak RSS | vs pressroom (time / memory) |")
print("|---|---|---:|---:|---:|---:|---:|")
for workload in sorted(rows, key=lambda w: (w[0], list(rows).index(w))):
    contenders = rows[workload]
    base = contenders.get("pressroom")
    base_t = statistics.median(w for w, _ in base) if base else None
    base_m = max(m for _, m in base) if base else None
    for contender, runs in contenders.items():
        walls = [w for w, _ in runs]
        med, peak = statistics.median(walls), max(m for _, m in runs)
        ratio = "" if contender == "pressroom" or not base else f"{med / base_t:.1f}x / {peak / base_m:.1f}x"
        print(f"| {workload} | {contender} | {len(runs)} | {fmt(med)} | {fmt(min(walls))}-{fmt(max(walls))} | {peak / 1024:.0f} MiB | {ratio} |")
EOF

if [[ ${KEEP_OUTPUT:-0} != 1 ]]; then
    for d in "$BENCH_DIR"/*/; do
        rm -rf "$d/public" "$d/.public.pressroom-cache" "$d/.public.pressroom-previous" "$d/hugo-public" "$d/hugo-cache" "$d/peer"
    done
fi
say "raw timings: $results; corpora kept in $BENCH_DIR (rm -rf it to free the disk)"
