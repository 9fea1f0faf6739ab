#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests (ctest's `pg` fixture, or by hand).
#   tools/lib/pg_throwaway.sh start STATE_DIR   initdb + start on 127.0.0.1 at a free port
#   tools/lib/pg_throwaway.sh stop STATE_DIR    stop it and delete its data
# `start` writes STATE_DIR/uri: a libpq URI prefix without the database name
# (postgresql://coldtrace:<password>@127.0.0.1:<port>/), for a role that may create databases
# and owns them; the tests append a database name of their own. The password is never printed.
# With COLDTRACE_TEST_PG=none both commands do nothing and the PostgreSQL tests skip.
# COLDTRACE_PG_PARENT puts the data under another folder than /tmp (bench/pg_bench.sh: the
# build disk, where fsync costs what it costs in production).
#
# The server refuses to run as root: as root, every server command runs as `postgres` (the
# user the Debian package creates), with its data under /tmp where that user can reach it.
set -euo pipefail

cmd=${1:-}
state=${2:-}
[ -n "$cmd" ] && [ -n "$state" ] || { echo "usage: $0 start|stop STATE_DIR" >&2; exit 2; }
state=$(realpath -m "$state")  # start() changes directory
if [ "${COLDTRACE_TEST_PG:-}" = none ]; then
  echo "COLDTRACE_TEST_PG=none: no PostgreSQL cluster"
  exit 0
fi

bindir=""
for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && { bindir=$d; break; }
done
[ -n "$bindir" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql-15)" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then
  as_pg() { runuser -u postgres -- "$@"; }
  owner=postgres
else
  as_pg() { "$@"; }
  owner=$(id -un)
fi

stop() {
  [ -f "$state/datadir" ] || return 0
  local data
  data=$(cat "$state/datadir")
  if [ -f "$data/postmaster.pid" ]; then
    (cd "$data" && as_pg "$bindir/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null) || {
      # pg_ctl failed: signal the postmaster itself, then wait for it to go.
      local pid
      pid=$(head -1 "$data/postmaster.pid" 2>/dev/null || true)
      if [ -n "$pid" ]; then
        kill -INT "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      fi
    }
  fi
  rm -rf "$(dirname "$data")"
  rm -f "$state/datadir" "$state/uri"
}

free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 40000))
    ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return 0; }
  done
  return 1
}

start() {
  stop  # a cluster left over by an interrupted run
  mkdir -p "$state"
  local top data password port
  # Not mktemp -d's 0700: the server's user must be able to enter every folder above its data.
  top=$(mktemp -d "${COLDTRACE_PG_PARENT:-/tmp}/coldtrace-pg-XXXXXX")
  chmod 0755 "$top"
  data="$top/data"
  echo "$data" >"$state/datadir"
  mkdir "$data"
  chown "$owner" "$data"
  chmod 0700 "$data"
  # Characters that must be percent-encoded in a URI, so that the tests exercise it.
  password="ct-$(openssl rand -hex 12)"
  cd "$top"
  as_pg "$bindir/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$top/initdb.log" 2>&1 ||
    { cat "$top/initdb.log" >&2; exit 1; }
  # A test cluster: nothing here must survive a crash of the machine, so no fsync. Sockets in
  # the data directory only (no /var/run/postgresql needed); TCP on loopback only. Two
  # ledgers with reader pools, times the tests running at once, need more than 100.
  cat >>"$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$data'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  local started=""
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    if as_pg "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-p $port" start >/dev/null; then
      started=1
      break
    fi
  done
  [ -n "$started" ] || { tail -20 "$data/server.log" >&2; exit 1; }
  # On standard input, not the command line: other users could read it there.
  as_pg "$bindir/psql" -h "$data" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    >/dev/null <<EOF
CREATE ROLE coldtrace LOGIN CREATEDB PASSWORD '$password@/x';
CREATE DATABASE coldtrace OWNER coldtrace;
EOF
  # '@' and '/' percent-encoded.
  (umask 077 && printf 'postgresql://coldtrace:%s%%40%%2Fx@127.0.0.1:%s/\n' "$password" "$port" \
    >"$state/uri")
  echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port," \
    "data in $data"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop STATE_DIR" >&2; exit 2 ;;
esac
