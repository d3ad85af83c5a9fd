#!/usr/bin/env bash
# Firebreak's benchmark: prints, per database, what everyday operations cost
# as a multiple of a baseline measured in the same run (a raw sqlx INSERT,
# a raw SELECT, a static file through the same router).
#   scripts/bench.sh                      SQLite only
#   FIREBREAK_BENCH_POSTGRES=1 scripts/bench.sh
#                                         also PostgreSQL (a local server is
#                                         installed and started if needed)
#   FIREBREAK_BENCH_POSTGRES_URL=postgres://… scripts/bench.sh
#                                         also that PostgreSQL server
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
if [ -z "${FIREBREAK_BENCH_POSTGRES_URL:-}" ] && [ "${FIREBREAK_BENCH_POSTGRES:-}" = 1 ]; then
  FIREBREAK_BENCH_POSTGRES_URL=$(scripts/postgres.sh)
  export FIREBREAK_BENCH_POSTGRES_URL
fi
RUST_LOG=${RUST_LOG:-error} exec cargo bench -q -p firebreak --bench throughput
