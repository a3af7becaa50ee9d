#!/usr/bin/env bash
# Starts Debian's PostgreSQL for the proxy's test against @modelcontextprotocol/server-postgres: installs the package
# when it is missing, starts the default cluster, and creates a role and a database with one table. Idempotent.
# Prints the connection URL on stdout (eng/test.sh exports it as MCPFLEET_POSTGRES_URL).
set -euo pipefail
log() { printf 'postgres.sh: %s\n' "$*" >&2; }

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  log "installing postgresql"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; }
fi

read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1)
if [[ -z "${version:-}" ]]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  pg_createcluster "$version" main >&2
  read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1)
fi
if [[ "$status" != online* ]]; then
  log "starting cluster $version/$cluster on port $port"
  # pg_ctlcluster talks on stdout ("Removed stale pid file."): only the URL may go there.
  pg_ctlcluster "$version" "$cluster" start >&2
fi

psql_as_postgres() { runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -q "$@"; }
for _ in $(seq 1 50); do psql_as_postgres -c 'select 1' >/dev/null 2>&1 && break; sleep 0.2; done
psql_as_postgres <<'SQL' >/dev/null
do $$ begin
  if not exists (select from pg_roles where rolname = 'mcpfleet') then create role mcpfleet login password 'mcpfleet'; end if;
end $$;
SQL
if ! psql_as_postgres -tAc "select 1 from pg_database where datname = 'mcpfleet'" | grep -q 1; then
  psql_as_postgres -c 'create database mcpfleet owner mcpfleet' >/dev/null
fi
PGPASSWORD=mcpfleet PGOPTIONS='-c client_min_messages=warning' psql -h 127.0.0.1 -p "$port" -U mcpfleet -d mcpfleet -v ON_ERROR_STOP=1 -q >/dev/null <<'SQL'
create table if not exists fleet_servers (name text primary key, transport text not null);
insert into fleet_servers values ('github', 'stdio'), ('notes', 'http') on conflict do nothing;
SQL
echo "postgresql://mcpfleet:mcpfleet@127.0.0.1:$port/mcpfleet"
