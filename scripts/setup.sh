#!/usr/bin/env bash
# Installs whatever Lobby's build and tests need and is missing. Idempotent: when
# everything is present it only checks and returns in a second or two.
#
# - rustup target wasm32-unknown-unknown
# - cargo-leptos 0.3.10 (0.3.11 needs a newer rustc than this machine has)
# - wasm-bindgen-cli at the exact version Cargo.lock names
# - npm packages of end2end/ (Playwright, binaryen's wasm-opt) from the committed lockfile
# - Debian chromium for the Playwright suite
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '[setup] %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

want_leptos=0.3.10
if ! cargo leptos --version 2>/dev/null | grep -q "$want_leptos"; then
  say "installing cargo-leptos $want_leptos (several minutes, once)"
  # A build tool, not the product: a light optimization level halves its compile time.
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-leptos --version "$want_leptos" --locked
fi

want_wb=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock 2>/dev/null || true)
want_wb=${want_wb:-0.2.130}
if ! wasm-bindgen --version 2>/dev/null | grep -q "$want_wb"; then
  say "installing wasm-bindgen-cli $want_wb (about 2 minutes, once)"
  # No --locked: its own lockfile names a crate version the registry lacks. A build tool
  # too: the same light optimization level.
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install wasm-bindgen-cli --version "$want_wb"
fi

if [ ! -x /usr/bin/chromium ]; then
  say "installing Debian chromium"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

# npm ci only when the lockfile changed since the last install.
stamp=end2end/node_modules/.lobby-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s end2end/package-lock.json "$stamp"; then
  say "installing end2end npm packages (Playwright, binaryen)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  cp end2end/package-lock.json "$stamp"
fi
say "tools ready"
