#!/usr/bin/env bash
# A throw-away PostgreSQL for broom's tests and for trying broom on PostgreSQL.
#
#   scripts/postgres/setup.sh          install Debian's postgresql if missing (as root), start a
#                                      cluster on 127.0.0.1 on a free port, create the database
#                                      `broom`, and print BROOM_DATABASE_URL=postgres://…
#   scripts/postgres/setup.sh --stop   stop that cluster and delete its files
#
# Idempotent: when the cluster already runs it only prints its URL again. Everything lives in
# $BROOM_PG_DIR (default /tmp/broom-postgres): the data directory, the socket directory with the
# server log (socket/postgres.log), and `url` (the URL
# alone, for tests to read). The cluster is for tests: fsync is off, so a machine crash can lose
# it. Never point it at data you want to keep. As root it runs the server as the `postgres` user (root
# cannot run postgres); as another user with PostgreSQL installed it runs it as that user.
set -euo pipefail

STATE=${BROOM_PG_DIR:-/tmp/broom-postgres}
DATA=$STATE/data
SOCK=$STATE/socket
LOG=$SOCK/postgres.log
URL_FILE=$STATE/url
DB=broom
USER_NAME=broom

say() { printf 'broom postgres: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

mkdir -p "$STATE"
chmod 755 "$STATE"
# One setup at a time (test files start in parallel). The server must not inherit this lock's fd.
exec 9>"$STATE.lock"
flock 9

find_bin_dir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return 0
  fi
  return 1
}

# Run a PostgreSQL server program as the user that owns the cluster: root cannot run postgres.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop_cluster() {
  local bin
  if [ -f "$DATA/PG_VERSION" ] && bin=$(find_bin_dir); then
    as_owner "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

if [ "${1:-}" = "--stop" ]; then
  stop_cluster
  rm -rf "$DATA" "$SOCK" "$URL_FILE" "$STATE/port"
  say "stopped the cluster in $STATE and deleted its files."
  exit 0
elif [ -n "${1:-}" ]; then
  die "unknown argument \"$1\": run it without arguments to start the cluster, or with --stop to stop it."
fi

BIN=$(find_bin_dir || true)
if [ -z "$BIN" ]; then
  if [ "$(id -u)" != 0 ]; then
    die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and installing it needs root: run this script as root, or install Debian's postgresql package (apt-get install postgresql), or set BROOM_TEST_DATABASE_URL to a database of yours."
  fi
  command -v apt-get >/dev/null 2>&1 || die "PostgreSQL is not installed and this machine has no apt-get: install PostgreSQL (initdb, pg_ctl) yourself, or set BROOM_TEST_DATABASE_URL to a database of yours."
  say "installing Debian's postgresql (apt-get update && apt-get install -y postgresql) …"
  export DEBIAN_FRONTEND=noninteractive
  # Other setup scripts may run apt at the same time: wait for its locks, and try again a few times.
  apt_retry() {
    local i
    for i in 1 2 3 4 5 6; do
      apt-get -o DPkg::Lock::Timeout=300 "$@" >&2 && return 0
      say "apt-get $1 failed (attempt $i); trying again in 10 s"
      sleep 10
    done
    return 1
  }
  # Keep the package from starting Debian's default cluster (we start our own; there may be no init system).
  policy_added=0
  trap 'if [ "$policy_added" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi' EXIT
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy_added=1
  fi
  apt_retry update -q || die "apt-get update failed (see above): the Debian package lists could not be fetched."
  apt_retry install -y -q --no-install-recommends postgresql || die "apt-get install postgresql failed (see above)."
  if [ "$policy_added" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  BIN=$(find_bin_dir) || die "postgresql was installed, but no initdb/pg_ctl was found under /usr/lib/postgresql/*/bin."
fi

if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || die "there is no \"postgres\" user to run the server as (root cannot run postgres): install Debian's postgresql package, which creates it."
  command -v runuser >/dev/null 2>&1 || die "runuser (util-linux) is missing: it is needed to run postgres as the postgres user."
fi

is_ready() {
  [ -f "$URL_FILE" ] && [ -f "$STATE/port" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1 &&
    "$BIN/pg_isready" -q -h 127.0.0.1 -p "$(cat "$STATE/port")" >/dev/null 2>&1
}

if is_ready; then
  say "the cluster in $STATE already runs."
  echo "BROOM_DATABASE_URL=$(cat "$URL_FILE")"
  exit 0
fi

# A stale or half-made cluster: start over.
stop_cluster
rm -rf "$DATA" "$SOCK" "$URL_FILE" "$STATE/port"
mkdir -p "$DATA" "$SOCK"
PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
PWFILE=$DATA.pw
printf '%s\n' "$PASSWORD" >"$PWFILE"
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$DATA" "$SOCK" "$PWFILE"; fi
chmod 700 "$DATA"
chmod 600 "$PWFILE"

say "initdb in $DATA ($("$BIN/postgres" --version))"
if ! as_owner "$BIN/initdb" -D "$DATA" -U "$USER_NAME" --pwfile="$PWFILE" -A scram-sha-256 -E UTF8 --no-locale >"$STATE/initdb.log" 2>&1; then
  cat "$STATE/initdb.log" >&2
  rm -f "$PWFILE"
  die "initdb failed (its output is above)."
fi
rm -f "$PWFILE"

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

started=
for attempt in 1 2 3; do
  PORT=$(free_port)
  if as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $SOCK -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null 9>&-; then
    started=1
    break
  fi
  say "the server did not start on port $PORT (attempt $attempt); its log ends with:"
  tail -n 5 "$LOG" >&2 || true
done
[ -n "$started" ] || die "the PostgreSQL server would not start: see $LOG."

export PGPASSWORD=$PASSWORD
"$BIN/psql" -q -h 127.0.0.1 -p "$PORT" -U "$USER_NAME" -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $DB" >/dev/null ||
  die "could not create the database $DB (see above)."

URL="postgres://$USER_NAME:$PASSWORD@127.0.0.1:$PORT/$DB"
echo "$PORT" >"$STATE/port"
(umask 077 && echo "$URL" >"$URL_FILE")
say "PostgreSQL $("$BIN/postgres" --version | sed 's/^postgres (PostgreSQL) //') runs on 127.0.0.1:$PORT (data $DATA, log $LOG); stop it with $0 --stop."
echo "BROOM_DATABASE_URL=$URL"
