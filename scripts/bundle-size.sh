#!/usr/bin/env bash
# Sizes of what a browser downloads (issue 16): raw, gzip -9 and brotli -q 11 of every file in
# target/site/pkg, and the WASM's brotli size against the budget in `budget/wasm-brotli-bytes`
# (one number of bytes; lines starting with # are comments). Exits 1 when the WASM is over budget. Run after
# `cargo leptos build --release`; `--build` builds first. Installs Debian's brotli if missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$root"

if [ "${1:-}" = "--build" ]; then cargo leptos build --release --precompress; fi

if ! command -v brotli > /dev/null; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq brotli > /dev/null
fi

pkg=target/site/pkg
budget=$(grep -v '^#' budget/wasm-brotli-bytes | tr -d '[:space:]')
printf '%-44s %10s %10s %10s\n' file raw gzip brotli
wasm_br=""
for f in "$pkg"/*; do
  case "$f" in *.br|*.gz) continue ;; esac
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  br=$(brotli -q 11 -c "$f" | wc -c)
  printf '%-44s %10d %10d %10d\n' "$(basename "$f")" "$raw" "$gz" "$br"
  case "$f" in *.wasm) wasm_br=$br ;; esac
done
if [ -z "$wasm_br" ]; then
  echo "[bundle-size] no .wasm in $pkg: build first (cargo leptos build --release)" >&2
  exit 2
fi
if [ "$wasm_br" -gt "$budget" ]; then
  echo "[bundle-size] FAIL: the WASM is $wasm_br bytes brotli, over the budget of $budget (budget/wasm-brotli-bytes)"
  exit 1
fi
echo "[bundle-size] ok: the WASM is $wasm_br bytes brotli, within the budget of $budget"
