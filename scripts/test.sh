#!/usr/bin/env bash
# Runs Firebreak's whole test suite, installing what is missing first:
# formatting, clippy, unit tests, integration tests on SQLite and PostgreSQL,
# the WASM dependency check, and the Playwright suite in Chromium against the
# release binary.
#
# PostgreSQL: the suite runs when FIREBREAK_TEST_POSTGRES_URL is set, and
# always under CI=true (a local server is installed and started if needed).
# Set FIREBREAK_TEST_POSTGRES=1 to get the local server outside CI too.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*"; }
ci=${CI:-false}
summary=()

step "Setting up tools"
scripts/setup.sh --browser

step "Formatting (cargo fmt --check)"
cargo fmt --all -- --check

step "Lints (clippy, server and WASM builds)"
cargo clippy -q -p app --features ssr --all-targets -- -D warnings
cargo clippy -q -p firebreak --all-targets -- -D warnings
cargo clippy -q -p frontend --target wasm32-unknown-unknown -- -D warnings

step "The WASM build holds no server crates"
if cargo tree -p frontend --target wasm32-unknown-unknown -e normal --prefix none | grep -E '^(sqlx|tokio|mio) '; then
  echo "server-only crates leaked into the WASM build" >&2
  exit 1
fi
echo "no sqlx, tokio or mio in frontend's wasm32 dependency tree"

step "Unit tests (domain and UI helpers)"
cargo test -p app --features ssr --lib 2>&1 | tee .test-unit.log
summary+=("unit: $(grep -E '^test result' .test-unit.log | tail -n 1)")

step "Integration tests on SQLite"
env -u FIREBREAK_TEST_POSTGRES_URL cargo test -p firebreak --test it 2>&1 | tee .test-sqlite.log
summary+=("sqlite: $(grep -E '^test result' .test-sqlite.log | tail -n 1)")

pg_url=${FIREBREAK_TEST_POSTGRES_URL:-}
if [ -z "$pg_url" ] && { [ "$ci" = true ] || [ "${FIREBREAK_TEST_POSTGRES:-}" = 1 ]; }; then
  step "Starting PostgreSQL"
  pg_url=$(scripts/postgres.sh)
  case "$pg_url" in
    postgres://*) ;;
    *) echo "scripts/postgres.sh did not print a postgres:// URL (got: $pg_url)" >&2; exit 1 ;;
  esac
fi
if [ -n "$pg_url" ]; then
  step "Integration tests on PostgreSQL"
  FIREBREAK_TEST_POSTGRES_URL="$pg_url" cargo test -p firebreak --test it 2>&1 | tee .test-postgres.log
  summary+=("postgres: $(grep -E '^test result' .test-postgres.log | tail -n 1)")
elif [ "$ci" = true ]; then
  echo "PostgreSQL is mandatory under CI" >&2
  exit 1
else
  summary+=("postgres: not run (set FIREBREAK_TEST_POSTGRES=1 or FIREBREAK_TEST_POSTGRES_URL)")
fi

step "Release build (cargo leptos build --release)"
cargo leptos build --release

step "Browser tests (Playwright in Chromium)"
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
export FIREBREAK_BIN="$target_dir/release/firebreak"
# cargo-leptos writes the site under the workspace's target/ or, when
# CARGO_TARGET_DIR points elsewhere, under that directory.
site_root="$PWD/target/site"
[ -f "$site_root/pkg/firebreak.wasm" ] || site_root="$target_dir/site"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$site_root}"
(cd end2end && npx playwright test) 2>&1 | tee .test-e2e.log
summary+=("browser: $(grep -E '^\s+[0-9]+ passed' .test-e2e.log | tail -n 1 | xargs)")

step "Summary"
printf '%s\n' "${summary[@]}"
# One closing line for the whole run: every runner's counts added up.
counts=$(cat .test-unit.log .test-sqlite.log .test-postgres.log 2>/dev/null |
  awk '/^test result/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } } END { print p+0, f+0 }')
read -r passed failed <<<"$counts"
e2e=$(grep -E '^\s+[0-9]+ passed' .test-e2e.log | tail -n 1 | grep -oE '[0-9]+' | head -n 1)
passed=$((passed + ${e2e:-0}))
echo "total: $passed passed, $failed failed"
rm -f .test-unit.log .test-sqlite.log .test-postgres.log .test-e2e.log
