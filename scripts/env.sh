# Sourced by the other scripts: the tool paths and Leptos settings every command shares.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# wasm-opt from npm binaryen (Debian's breaks hydration), cargo-installed tools.
export PATH="$root/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export LEPTOS_SITE_ROOT="$root/target/site"
export LEPTOS_ENV="${LEPTOS_ENV:-PROD}"
