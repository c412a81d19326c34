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
# phase NAME LIMIT_SECONDS COMMAND...: a phase that hangs is stopped at its limit and
# fails by name, so the run ends with a reason long before CI's own limit.
phase() {
  local name="$1" limit="$2"; shift 2
  local t0=$SECONDS rc=0
  echo "=== $name (limit ${limit} s)"
  timeout --kill-after=30 "$limit" "$@" || rc=$?
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "=== $name: stopped after $((SECONDS - t0)) s, over its limit of ${limit} s"
  fi
  [ "$rc" -eq 0 ] || exit "$rc"
  timings+=("$(printf '%-44s %4ds' "$name" $((SECONDS - t0)))")
  echo "=== $name: done in $((SECONDS - t0)) s (total $((SECONDS - start_all)) s)"
}

phase "setup (tools)" 1800 scripts/setup.sh
phase "rust tests (domain, data layer, server; SQLite + PostgreSQL)" 1800 \
  cargo test --locked -p app -p server --features app/ssr
phase "release build (server + WASM, precompressed)" 1800 cargo leptos build --release --precompress
phase "bundle size (budget/wasm-brotli-bytes)" 60 scripts/bundle-size.sh
phase "API fuzzing (schemathesis)" 600 scripts/api-fuzz.sh
phase "playwright (Debian chromium)" 1200 bash -c 'cd end2end && npx playwright test'

echo
df -h "$root" | tail -1 | awk '{print "=== disk: " $4 " free of " $2}'
du -sh target 2>/dev/null | sed 's/^/=== target: /'
echo "=== timings"
printf '%s\n' "${timings[@]}"
printf '%-44s %4ds\n' "total" $((SECONDS - start_all))
