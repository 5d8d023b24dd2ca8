#!/usr/bin/env bash
# Runs Switchyard's whole test suite, first installing what the tests need when it is missing.
# Ends with one line "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '==> %s\n' "$*"; }
finish() { printf '%s passed, %s failed\n' "$1" "$2"; exit "$3"; }

# --- what the tests need -----------------------------------------------------------------------
if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is required (https://dot.net); install it and run again." >&2
  finish 0 1 1
fi

# Node.js, npm and tests/node's pinned packages (the official openai client and ws) for the end-to-end tests of the
# OpenAI-compatible endpoint. Idempotent; when this fails, NodeClientTests fails and says what is missing.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say "installing Node.js and npm (apt-get)"
  sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
  if command -v apt-get >/dev/null 2>&1; then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null \
      || { $sudo apt-get update -q >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null; } \
      || echo "test.sh: could not install nodejs and npm; the Node tests will fail" >&2
  else
    echo "test.sh: node and npm are missing and apt-get is not available; the Node tests will fail" >&2
  fi
fi
if command -v npm >/dev/null 2>&1 \
  && { [ ! -f tests/node/node_modules/.package-lock.json ] \
       || [ tests/node/package-lock.json -nt tests/node/node_modules/.package-lock.json ] \
       || [ tests/node/package.json -nt tests/node/node_modules/.package-lock.json ]; }; then
  say "npm ci (tests/node)"
  (cd tests/node && { npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error; }) \
    || echo "test.sh: installing tests/node's packages failed; the Node tests will fail" >&2
fi

# PostgreSQL server binaries for the PostgreSQL store's tests (Debian's package, without the cluster it would create).
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
  say "installing PostgreSQL (apt-get)"
  sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
  if command -v apt-get >/dev/null 2>&1; then
    $sudo mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.conf >/dev/null
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null \
      || { $sudo apt-get update -q >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; } \
      || echo "test.sh: could not install postgresql; the PostgreSQL tests will fail" >&2
  else
    echo "test.sh: PostgreSQL is missing and apt-get is not available; the PostgreSQL tests will fail" >&2
  fi
fi

# nginx for the load-balancer tests (Cluster.Tests run it with deploy/nginx/switchyard.conf in front of two nodes).
# Debian's package would start a system nginx on port 80: a policy-rc.d that refuses service starts (as container
# images have) keeps it from doing so; the tests start their own on loopback.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  say "installing nginx (apt-get)"
  sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
  if command -v apt-get >/dev/null 2>&1; then
    made_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null && $sudo chmod +x /usr/sbin/policy-rc.d && made_policy=1
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx-light >/dev/null \
      || { $sudo apt-get update -q >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx-light >/dev/null; } \
      || echo "test.sh: could not install nginx; the load-balancer tests will fail" >&2
    if [ -n "$made_policy" ]; then $sudo rm -f /usr/sbin/policy-rc.d; fi
  else
    echo "test.sh: nginx is missing and apt-get is not available; the load-balancer tests will fail" >&2
  fi
fi

# One private cluster for the whole run: a temp folder, a free loopback port, stopped on exit. The tests read its
# address from SWITCHYARD_TEST_POSTGRES (run alone, each test project starts a cluster of its own).
if [ -z "${SWITCHYARD_TEST_POSTGRES:-}" ] && [ -n "$(pg_bin)" ]; then
  pg_dir=$(mktemp -d /tmp/switchyard-test-pg.XXXXXX)
  pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)
  as_pg=""
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$pg_dir"; as_pg="runuser -u postgres --"; fi
  stop_pg() { $as_pg "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1; rm -rf "$pg_dir"; }
  if $as_pg "$(pg_bin)/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null \
     && $as_pg "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t 60 start \
          -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null; then
    trap stop_pg EXIT
    export SWITCHYARD_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres;Maximum Pool Size=50"
    say "PostgreSQL test cluster on 127.0.0.1:$pg_port"
  else
    echo "test.sh: could not start a PostgreSQL test cluster; the PostgreSQL tests will fail" >&2
    stop_pg
  fi
fi

# --- build, style, tests ----------------------------------------------------------------------
say "build (Release, warnings are errors)"
if ! dotnet build Switchyard.slnx -c Release -v quiet -nologo; then
  echo "test.sh: the build failed" >&2
  finish 0 1 1
fi

say "format check"
if ! dotnet format Switchyard.slnx --verify-no-changes --no-restore -v quiet; then
  echo "test.sh: 'dotnet format' would change files; run 'dotnet format Switchyard.slnx'" >&2
  finish 0 1 1
fi

say "tests"
log=$(mktemp)
dotnet test --solution Switchyard.slnx -c Release --no-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

summary=$(awk '/Test run summary/ {found=1} found' "$log")
total=$(printf '%s\n' "$summary" | awk '$1=="total:" {v=$2} END {print v+0}')
failed=$(printf '%s\n' "$summary" | awk '$1=="failed:" {v=$2} END {print v+0}')
passed=$(printf '%s\n' "$summary" | awk '$1=="succeeded:" {v=$2} END {print v+0}')
rm -f "$log"

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$total" -eq 0 ]; then echo "test.sh: no tests ran" >&2; finish 0 1 1; fi
finish "$passed" "$failed" "$status"
