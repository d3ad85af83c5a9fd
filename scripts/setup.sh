#!/usr/bin/env bash
# Installs whatever Firebreak's build needs and is missing; skips what is there.
#   scripts/setup.sh            build tools (wasm target, cargo-leptos, wasm-bindgen-cli, npm tools)
#   scripts/setup.sh --browser  the same plus Playwright's npm packages and Debian's Chromium
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.11
log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
with_browser=false
[ "${1:-}" = "--browser" ] && with_browser=true

export PATH="$HOME/.cargo/bin:$PATH"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root (or sudo) to run: $*" >&2; return 1; fi
}

apt_updated=false
apt_install() {
  if ! $apt_updated; then as_root apt-get update -qq; apt_updated=true; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Fetches the crates.io source of crate $1 at exact version $2 into the cargo
# registry and prints its folder.
crate_source() {
  local name=$1 version=$2 tmp
  tmp=$(mktemp -d)
  mkdir -p "$tmp/src"
  : > "$tmp/src/lib.rs"
  cat > "$tmp/Cargo.toml" <<TOML
[package]
name = "fetch-source"
version = "0.0.0"
edition = "2021"
[dependencies]
$name = "=$version"
TOML
  (cd "$tmp" && cargo fetch -q >/dev/null 2>&1 || cargo fetch -q)
  rm -rf "$tmp"
  ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$name-$version" | head -n 1
}

# Builds and installs a binary crate from a copy of its source, after pinning
# the given lockfile entries (both tools' own locks pin versions that do not
# build here; see ARCHITECTURE.md, "Toolchain").
install_from_source() {
  local name=$1 version=$2 features=$3; shift 3
  local src work
  src=$(crate_source "$name" "$version")
  work=$(mktemp -d)
  cp -r "$src/." "$work/"
  while [ $# -gt 0 ]; do
    (cd "$work" && cargo update -q -p "$1" --precise "$2")
    shift 2
  done
  log "building $name $version from source (this takes several minutes, once)"
  (cd "$work" && CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install -q --path . --locked --force ${features:+--features "$features"})
  rm -rf "$work"
}

# 1. The wasm32 target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. cargo-leptos, built so that it takes wasm-opt and tailwindcss from PATH.
if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  install_from_source cargo-leptos "$CARGO_LEPTOS_VERSION" no_downloads cargo-util-schemas 0.14.1
fi

# 3. wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$bindgen_version" ]; then echo "cannot read wasm-bindgen's version from Cargo.lock" >&2; exit 1; fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $bindgen_version\$"; then
  install_from_source wasm-bindgen-cli "$bindgen_version" "" webpki-roots 1.0.10
fi

# 4. npm build tools (Tailwind CSS, wasm-opt from binaryen).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm build tools"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 5. Browser tests: Playwright and axe-core from npm, Chromium from Debian.
if $with_browser; then
  if [ ! -d end2end/node_modules ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    log "installing Playwright and axe-core"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
  if [ ! -x /usr/bin/chromium ]; then
    log "installing Chromium from Debian"
    apt_install chromium
  fi
fi
log "tools ready"
