#!/usr/bin/env bash
# Builds Firebreak (release) and serves it on SQLite at http://127.0.0.1:3000.
#   scripts/run.sh          serve ./data/firebreak.db (created and migrated on first start)
#   scripts/run.sh --demo   the same, after loading a dozen demo incidents into an empty database
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo leptos build --release
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
bin="$target_dir/release/firebreak"
# cargo-leptos writes the site under the workspace's target/ or, when
# CARGO_TARGET_DIR points elsewhere, under that directory.
site_root="$PWD/target/site"
[ -f "$site_root/pkg/firebreak.wasm" ] || site_root="$target_dir/site"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$site_root}"
if [ "${1:-}" = "--demo" ]; then
  "$bin" seed --demo
fi
exec "$bin" serve
