#!/usr/bin/env bash
# All of Dossier's tests: the Rust tests, then the browser tests (headless Chromium over
# file://, driven by playwright-core, with axe-core). Needs cargo, Node.js with npm, and
# Chromium at /usr/bin/chromium (Debian: apt-get install chromium); `.ci/run` installs them.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --release

command -v node >/dev/null || { echo "the browser tests need Node.js and npm" >&2; exit 1; }
chromium="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] || { echo "the browser tests need Chromium at $chromium (apt-get install chromium, or set CHROMIUM)" >&2; exit 1; }
cargo build --release --quiet
if [ ! -d tests/browser/node_modules ]; then
  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
fi
cd tests/browser
node --test --test-concurrency=1 --test-reporter=spec
