#!/usr/bin/env bash
# All of Dossier's tests: the Rust tests, then the browser tests (headless Chromium over
# file://, driven by playwright-core, with axe-core). Needs cargo, Node.js with npm, and
# Chromium at /usr/bin/chromium (Debian: apt-get install chromium); `.ci/run` installs them.
set -euo pipefail
cd "$(dirname "$0")/.."

# Progress on stderr: which part runs and how long the last one took (the compile of a fresh
# checkout is a few minutes on 2 cores; cargo prints each crate as it compiles).
started=$SECONDS
step() { echo "== $1 (at ${SECONDS}s, $((SECONDS - started))s since the start)" >&2; }

step "Rust tests: compile, then unit and integration tests (cargo test --release)"
cargo test --release

command -v node >/dev/null || { echo "the browser tests need Node.js and npm" >&2; exit 1; }
chromium="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] || { echo "the browser tests need Chromium at $chromium (apt-get install chromium, or set CHROMIUM)" >&2; exit 1; }
# `cargo test` built target/release/dossier for the integration tests with the release profile
# and the binary's own features, so this finds it up to date: one compile for both.
cargo build --release --quiet
if [ ! -d tests/browser/node_modules ]; then
  step "installing the browser tests' packages (npm ci)"
  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
fi
step "browser tests (headless Chromium over file://)"
cd tests/browser
node --test --test-concurrency=1 --test-reporter=spec
step "all tests done"
