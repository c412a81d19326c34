#!/usr/bin/env bash
# Fuzzes the JSON API from its own OpenAPI document with schemathesis (pinned, in a venv
# this script makes): a release `lobby serve --demo` on a fresh SQLite database and a
# port of its own, a token with every scope, and schemathesis's examples, coverage,
# fuzzing and stateful phases. Any 5xx, a response that breaks the document, or an
# undocumented status fails. Run after `cargo leptos build --release`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$root"

version=4.32.5
venv="${LOBBY_FUZZ_VENV:-$HOME/.cache/lobby/schemathesis-$version}"
if [ ! -x "$venv/bin/st" ]; then
  echo "[api-fuzz] installing schemathesis $version into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==$version"
fi

port="${LOBBY_FUZZ_PORT:-3190}"
db="$(mktemp -d)/lobby-fuzz.db"
export DATABASE_URL="sqlite://$db" LEPTOS_SITE_ADDR="127.0.0.1:$port" LOBBY_API_RATE=100000 LOBBY_API_BURST=100000
target/release/lobby serve --demo > "$db.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$(dirname "$db")"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/api/v1/openapi.json" > /dev/null 2>&1 && break
  sleep 0.2
done
token=$(target/release/lobby create-token --org "Northwind Labs" --owner admin@northwind.test \
  --scopes read_guests,manage_guests,manage_invitations,read_activity,manage_settings,ask_policy --days 1)

# Every check; the token's own revocation (by `current` or by id) is left out, or the
# run would lock itself out. The stateful phase follows the document's links. Settings
# are fuzzed in a second, short run: their fuzzing turns the Activity Report off, which
# would leave the report's operations nothing but 403s to answer.
out="$(dirname "$db")/st.out"
fuzz() {
  "$venv/bin/st" --config-file scripts/schemathesis.toml run "http://127.0.0.1:$port/api/v1/openapi.json" \
    --header "Authorization: Bearer $token" \
    --checks all \
    --max-examples "${LOBBY_FUZZ_EXAMPLES:-15}" \
    --max-response-time 5 \
    --seed "${LOBBY_FUZZ_SEED:-1}" \
    --no-color "$@" 2>&1 | tee -a "$out"
  return "${PIPESTATUS[0]}"
}
set +e
# use_after_free is left out: DELETE /invitations/{id} revokes, and the invitation stays on
# record, readable with state "revoked" as the Invitations page lists it (200, not 404).
# schemathesis 4.32 applies neither a per-operation nor a global switch-off of that check
# in its stateful phase, only this flag.
fuzz --max-time "${LOBBY_FUZZ_SECONDS:-150}" --phases examples,coverage,fuzzing,stateful --exclude-checks use_after_free \
  --exclude-operation-id revoke_current_token --exclude-operation-id revoke_token --exclude-operation-id update_settings
rc=$?
fuzz --max-time 40 --phases examples,coverage,fuzzing --include-operation-id update_settings --include-operation-id get_settings
rc2=$?
[ "$rc" -eq 0 ] && rc=$rc2
set -e
links=$(grep -c '"operationId"' <(curl -fs "http://127.0.0.1:$port/api/v1/openapi.json" | python3 -c 'import json,sys; d=json.load(sys.stdin); [print(json.dumps(l)) for p in d["paths"].values() for o in p.values() if isinstance(o, dict) for r in o.get("responses", {}).values() for l in r.get("links", {}).values()]'))
ops=$(curl -fs "http://127.0.0.1:$port/api/v1/openapi.json" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(1 for p in d["paths"].values() for m in p if m in ("get","post","put","patch","delete")))')
echo "[api-fuzz] the document has $ops operations (the token's own revocation, 2, left out; update_settings fuzzed in a pass of its own) and $links links; schemathesis exit $rc"
if [ "$rc" -ne 0 ]; then
  echo "[api-fuzz] server log:"; tail -40 "$db.log"
fi
exit "$rc"
