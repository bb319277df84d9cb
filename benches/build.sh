#!/usr/bin/env bash
# Build benchmark (issue 6): synthetic archives of N articles from `dossier bench-corpus`, built
# cold, then again after one article is edited. Prints articles/s, wall time, peak memory and
# the time of each stage (DOSSIER_TIMINGS). Usage: bash benches/build.sh [N ...]
# (default 1000 10000). Corpora are kept in $BENCH_DIR (default /tmp/dossier-bench) for reuse.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=$PWD/target/release/dossier
dir=${BENCH_DIR:-/tmp/dossier-bench}
mkdir -p "$dir"
echo "machine: $(nproc) cores; dossier $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
for n in "${@:-1000 10000}"; do
  for n in $n; do
    corpus=$dir/corpus-$n
    [ -d "$corpus" ] || "$bin" bench-corpus --articles "$n" --out "$corpus" --quiet
    site=$dir/site-$n
    rm -rf "$site" "$dir/.site-$n.dossier-new" "$dir/.site-$n.dossier-old"
    run() {
      DOSSIER_TIMINGS=1 /usr/bin/time -f "time %e %M" "$bin" build --quiet --input "$corpus" --output "$site" 2>"$dir/log" || true
      grep '^timing' "$dir/log" | sed 's/^/    /'
      read -r _ wall kb < <(grep '^time ' "$dir/log")
      printf '  %-12s %8.2f s  %8.0f articles/s  peak %6.0f MB  output %s\n' "$1" "$wall" "$(echo "$n / $wall" | bc -l)" "$(echo "$kb / 1024" | bc -l)" "$(du -sh "$site" | cut -f1)"
    }
    echo "N = $n ($(du -sh "$corpus" | cut -f1) of articles)"
    run cold
    first=$(find "$corpus" -name '*.txt' | sort | sed -n 1p)
    cp "$first" "$dir/keep.txt"
    echo "An added sentence about the Bench Committee in Rotterdam." >> "$first"
    run "after 1 edit"
    cp "$dir/keep.txt" "$first"
  done
done
