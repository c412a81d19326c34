#!/usr/bin/env bash
# Every test: Rust unit and integration tests on SQLite and PostgreSQL, then the
# Playwright suite against a release build on a fresh database. With CI set, the
# PostgreSQL tests must run (they fail instead of skipping when PostgreSQL is down).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$root"
# One clean build, never reused: incremental caches only cost disk (CI once ran out of it).
export CARGO_INCREMENTAL=0
df -h "$root" | tail -1 | awk '{print "=== disk: " $4 " free of " $2}'

start_all=$SECONDS
timings=()
phase() {
  local name="$1"; shift
  local t0=$SECONDS
  echo "=== $name"
  "$@"
  timings+=("$(printf '%-44s %4ds' "$name" $((SECONDS - t0)))")
  echo "=== $name: done in $((SECONDS - t0)) s (total $((SECONDS - start_all)) s)"
}

phase "setup (tools)" scripts/setup.sh
phase "rust tests (domain, data layer, server; SQLite + PostgreSQL)" \
  cargo test --locked -p app -p server --features app/ssr
phase "release build (server + WASM, precompressed)" cargo leptos build --release --precompress
phase "bundle size (budget/wasm-brotli-bytes)" scripts/bundle-size.sh
phase "API fuzzing (schemathesis)" scripts/api-fuzz.sh
phase "playwright (Debian chromium)" bash -c 'cd end2end && npx playwright test'

echo
df -h "$root" | tail -1 | awk '{print "=== disk: " $4 " free of " $2}'
du -sh target 2>/dev/null | sed 's/^/=== target: /'
echo "=== timings"
printf '%s\n' "${timings[@]}"
printf '%-44s %4ds\n' "total" $((SECONDS - start_all))
