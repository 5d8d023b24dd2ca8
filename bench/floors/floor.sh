#!/usr/bin/env bash
# The floor of a PostgreSQL drain on this machine: pgbench calls the procedures of pg-drain-floor.sql, each call
# claiming and completing 100 tasks in two transactions, after pg-drain-fill.sql queued 200,000 tasks.
# Usage: PGHOST=127.0.0.1 PGPORT=54331 PGUSER=postgres PGDATABASE=postgres bench/floors/floor.sh
set -euo pipefail
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
cd "$(dirname "$0")"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
psql -q -v ON_ERROR_STOP=1 -f pg-drain-floor.sql >/dev/null
for procedure in drain_batch drain_nohist; do
  for clients in 2 4; do
    psql -q -v ON_ERROR_STOP=1 -f pg-drain-fill.sql >/dev/null
    script=$(mktemp)
    echo "CALL fl.$procedure(100);" > "$script"
    tps=$("$pg_bin/pgbench" -n -c "$clients" -j "$clients" -t $((1000 / clients)) -f "$script" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
    rm -f "$script"
    printf '%s, %d clients: %.0f tasks/s\n' "$procedure" "$clients" "$(echo "$tps * 100" | bc)"
  done
done
psql -q -c 'DROP SCHEMA fl CASCADE' >/dev/null
