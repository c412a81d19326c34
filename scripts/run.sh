#!/usr/bin/env bash
# Sets up, builds, and serves Lobby on an embedded SQLite database (data/lobby.db by
# default), loading the demo organization on first start. Prints the URL and sign-ins.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$root"
scripts/setup.sh
echo "[run] building Lobby (release; the first build takes several minutes)"
cargo leptos build --release --precompress
export DATABASE_URL="${DATABASE_URL:-sqlite://$root/data/lobby.db}"
exec "$root/target/release/lobby" serve --demo
