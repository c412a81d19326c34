#!/usr/bin/env bash
# Every test: Rust unit and integration tests on SQLite and PostgreSQL, then the
# Playwright suite against a release build on a fresh database. With CI set, the
# PostgreSQL tests must run (they fail instead of skipping when PostgreSQL is down).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$root"

start_all=$SECONDS
timings=()
phase() {
  local name="$1"; shift
  local t0=$SECONDS
  echo "=== $name"
  "$@"
  timings+=("$(printf '%-44s %4ds' "$name" $((SECONDS - t0)))")
}

phase "setup (tools)" scripts/setup.sh
phase "rust tests (domain, data layer, server; SQLite + PostgreSQL)" \
  cargo test --locked -p app -p server --features app/ssr
phase "release build (server + WASM)" cargo leptos build --release
phase "playwright (Debian chromium)" bash -c 'cd end2end && npx playwright test'

echo
echo "=== timings"
printf '%s\n' "${timings[@]}"
printf '%-44s %4ds\n' "total" $((SECONDS - start_all))
