#!/usr/bin/env bash
# The tagger's budgets, measured: tagging speed (tokens per second, one core, release build),
# model load time, and the peak memory of `dossier eval` on CoNLL-2003 eng.testb.
#   bash benches/tagger.sh [CONLL_FILE]     (default ../shared/data/conll2003/eng.testb)
set -euo pipefail
cd "$(dirname "$0")/.."
conll="${1:-../shared/data/conll2003/eng.testb}"
cargo build --release --quiet
out=$(mktemp)
# taskset pins the run to one core where it is available.
pin=""; command -v taskset >/dev/null && pin="taskset -c 0"
/usr/bin/time -v $pin ./target/release/dossier eval --conll "$conll" >"$out" 2>"$out.time"
grep -E "model loaded|tokens/s|micro-F1" "$out"
peak_kb=$(grep "Maximum resident set size" "$out.time" | awk '{print $NF}')
echo "peak memory of dossier eval: $((peak_kb / 1024)) MB"
ls -l data/ner/model.bin | awk '{printf "model file: %.1f MB\n", $5/1e6}'
rm -f "$out" "$out.time"
