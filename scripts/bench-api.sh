#!/usr/bin/env bash
# Load test of the JSON API (issue 15, BENCHMARKS.md): `GET /api/v1/guests?limit=50` with
# wrk -t1 -c32 -d30s at 100,000 guests, beside a static file served by the same server in
# the same run. Usage: scripts/bench-api.sh sqlite|postgres [GUESTS] [SECONDS]
# Needs a release build (`cargo leptos build --release`) and Debian's wrk, which it
# installs when missing. The token's rate limit is raised by configuration; wrk counts
# any non-2xx answer (a 429 too) as an error.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$root"

backend="${1:-sqlite}"
guests="${2:-100000}"
seconds="${3:-30}"
port="${LOBBY_BENCH_PORT:-3191}"

if ! command -v wrk > /dev/null; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk > /dev/null
fi

work="$(mktemp -d)"
case "$backend" in
  sqlite) export DATABASE_URL="sqlite://$work/bench.db" ;;
  postgres)
    db=lobby_bench_api
    psql -h 127.0.0.1 -U postgres -d test -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" > /dev/null
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
    ;;
  *) echo "usage: $0 sqlite|postgres [GUESTS] [SECONDS]" >&2; exit 2 ;;
esac
export LEPTOS_SITE_ADDR="127.0.0.1:$port" LOBBY_API_RATE=1000000 LOBBY_API_BURST=1000000 RUST_LOG=warn

lobby=target/release/lobby
$lobby migrate > /dev/null
t0=$SECONDS
$lobby generate-guests --count "$guests" > /dev/null
echo "[bench-api] $backend: $guests guests generated in $((SECONDS - t0)) s"
token=$($lobby create-token --org "Benchmark Org" --owner admin@bench.test --scopes read_guests --days 1 --name bench)

$lobby serve > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 150); do
  curl -fs "http://127.0.0.1:$port/api/v1/openapi.json" > /dev/null 2>&1 && break
  sleep 0.2
done

base="http://127.0.0.1:$port"
static_file=$(cd target/site && ls pkg/*.css | head -1)
# One request each first: both must answer 200, or the numbers mean nothing.
curl -fs -o /dev/null -H "Authorization: Bearer $token" "$base/api/v1/guests?limit=50"
curl -fs -o /dev/null "$base/$static_file"

run() {
  local name="$1"; shift
  echo "=== $name"
  wrk -t1 -c32 -d"${seconds}s" --latency "$@" | grep -E "Latency|50%|99%|Requests/sec|Non-2xx|Socket errors|requests in"
}
run "static file /$static_file" "$base/$static_file"
run "GET /api/v1/guests?limit=50" -H "Authorization: Bearer $token" "$base/api/v1/guests?limit=50"
