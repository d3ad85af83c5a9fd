#!/usr/bin/env bash
# Makes a local PostgreSQL server available for the integration tests and
# prints its admin URL: installs Debian's package if missing, starts the
# cluster, and creates the `firebreak` test role (allowed to create databases).
set -euo pipefail
# Only the URL goes to stdout (callers capture it): everything the tools print
# goes to stderr (pg_ctlcluster says "Removed stale pid file." after an unclean
# stop). Not `exec 1>&2` with a saved fd: the server would inherit that fd and
# keep the caller's $(...) waiting for ever.
log() { printf '\033[1;34m[postgres]\033[0m %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing PostgreSQL from Debian's packages"
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
  log "creating cluster $version/main"
  as_root pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $4 }' | grep -q online; then
  log "starting cluster $version/main"
  # After an unclean stop (a machine image taken with the server running) the
  # socket lock file can name a pid that now belongs to another process, and
  # the server then refuses to start. Remove it unless a postgres owns it.
  port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')
  lock=/var/run/postgresql/.s.PGSQL.$port.lock
  if [ -f "$lock" ]; then
    pid=$(head -n 1 "$lock")
    if ! grep -qs postgres "/proc/$pid/comm"; then as_root rm -f "$lock"; fi
  fi
  as_root pg_ctlcluster "$version" main start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')
for _ in $(seq 1 30); do
  as_root su postgres -c "pg_isready -q -p $port" && break
  sleep 1
done
as_root su postgres -c "psql -q -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'firebreak'\"" | grep -q 1 ||
  as_root su postgres -c "psql -q -p $port -c \"CREATE ROLE firebreak LOGIN CREATEDB PASSWORD 'firebreak'\"" >&2
# Each integration test creates its own database; drop those of earlier runs.
for db in $(as_root su postgres -c "psql -q -p $port -tAc \"SELECT datname FROM pg_database WHERE datname LIKE 'firebreak_test_%'\""); do
  as_root su postgres -c "psql -q -p $port -c 'DROP DATABASE IF EXISTS $db'" >/dev/null
done
echo "postgres://firebreak:firebreak@127.0.0.1:$port/postgres"
