#!/usr/bin/env bash
# A throwaway PostgreSQL primary with a synchronous streaming standby, for the failover test
# (tests/tools/failover_test.sh) or by hand:
#   tools/lib/pg_standby.sh start STATE_DIR          initdb a primary, pg_basebackup -R a standby,
#                                                    synchronous_standby_names = '*'
#   tools/lib/pg_standby.sh kill-primary STATE_DIR   SIGKILL the primary's postmaster
#   tools/lib/pg_standby.sh promote STATE_DIR        pg_ctl promote the standby
#   tools/lib/pg_standby.sh psql STATE_DIR standby|primary SQL   one query, unaligned output
#   tools/lib/pg_standby.sh stop STATE_DIR           stop both, delete their data
# `start` writes STATE_DIR/uri_primary, uri_standby (libpq URIs of the database coldtrace, owned
# by the role coldtrace) and uri_both (both hosts, target_session_attrs=read-write: the server
# finds whichever is primary). Loopback TCP at free ports, sockets in the data directories.
# As root, the server commands run as `postgres` (see tools/lib/pg_throwaway.sh).
set -euo pipefail

cmd=${1:-}
state=${2:-}
[ -n "$cmd" ] && [ -n "$state" ] || {
  echo "usage: $0 start|kill-primary|promote|psql|stop STATE_DIR" >&2
  exit 2
}
state=$(realpath -m "$state")

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

top() { cat "$state/top"; }
port_of() { cat "$state/port_$1"; }

free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 40000))
    ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return 0; }
  done
  return 1
}

# pg_ctl for node $1 (primary|standby), from a directory its user can enter.
ctl() {
  local node=$1
  shift
  (cd "$(top)" && as_pg "$bindir/pg_ctl" -D "$(top)/$node" "$@")
}

run_psql() {
  local node=$1 sql=$2
  (cd "$(top)" && as_pg "$bindir/psql" -h "$(top)/$node" -p "$(port_of "$node")" -U postgres \
    -d "${3:-coldtrace}" -v ON_ERROR_STOP=1 -qAt -c "$sql")
}

stop_node() {
  local node=$1 data pid
  data="$(top)/$node"
  [ -f "$data/postmaster.pid" ] || return 0
  ctl "$node" -m fast -w -t 30 stop >/dev/null 2>&1 || {
    pid=$(head -1 "$data/postmaster.pid" 2>/dev/null || true)
    if [ -n "$pid" ]; then
      kill -INT "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  }
}

stop() {
  [ -f "$state/top" ] || return 0
  stop_node standby
  stop_node primary
  # The primary's backends outlive a SIGKILLed postmaster for a moment: end them by their ids.
  if [ -f "$state/primary_children" ]; then
    while read -r pid; do
      [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ] && kill -KILL "$pid" 2>/dev/null || true
    done <"$state/primary_children"
  fi
  rm -rf "$(top)"
  rm -f "$state"/top "$state"/port_* "$state"/uri_* "$state/primary_children"
}

start() {
  stop
  mkdir -p "$state"
  local t
  t=$(mktemp -d /tmp/coldtrace-pgsb-XXXXXX)
  chmod 0755 "$t"
  echo "$t" >"$state/top"
  mkdir "$t/primary"
  chown "$owner" "$t" "$t/primary"
  chmod 0700 "$t/primary"
  cd "$t"
  as_pg "$bindir/initdb" -D "$t/primary" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=trust >"$t/initdb.log" 2>&1 || { cat "$t/initdb.log" >&2; exit 1; }
  # fsync stays on, as in production.
  cat >>"$t/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$t/primary'
max_connections = 100
wal_level = replica
max_wal_senders = 4
synchronous_commit = on
EOF
  local p1 p2
  p1=$(free_port)
  echo "$p1" >"$state/port_primary"
  ctl primary -l "$t/primary.log" -w -t 60 -o "-p $p1" start >/dev/null ||
    { tail -20 "$t/primary.log" >&2; exit 1; }
  run_psql primary "CREATE ROLE coldtrace LOGIN" postgres >/dev/null
  run_psql primary "CREATE DATABASE coldtrace OWNER coldtrace" postgres >/dev/null
  # The standby: a base backup that writes standby.signal and primary_conninfo (-R).
  as_pg "$bindir/pg_basebackup" -h 127.0.0.1 -p "$p1" -U postgres -D "$t/standby" -R -X stream \
    -c fast >"$t/basebackup.log" 2>&1 || { cat "$t/basebackup.log" >&2; exit 1; }
  cat >>"$t/standby/postgresql.conf" <<EOF
unix_socket_directories = '$t/standby'
hot_standby = on
EOF
  p2=$(free_port)
  echo "$p2" >"$state/port_standby"
  ctl standby -l "$t/standby.log" -w -t 60 -o "-p $p2" start >/dev/null ||
    { tail -20 "$t/standby.log" >&2; exit 1; }
  # From now on commits wait until the standby has flushed their WAL (any standby is
  # synchronous): an acknowledged write is on two servers. Until the primary counts it so.
  run_psql primary "ALTER SYSTEM SET synchronous_standby_names = '*'" postgres >/dev/null
  run_psql primary "SELECT pg_reload_conf()" postgres >/dev/null
  local sync=""
  for _ in $(seq 100); do
    sync=$(run_psql primary "SELECT sync_state FROM pg_stat_replication" postgres || true)
    [ "$sync" = sync ] && break
    sleep 0.1
  done
  [ "$sync" = sync ] || { echo "the standby did not become synchronous" >&2; exit 1; }
  echo "postgresql://coldtrace@127.0.0.1:$p1/coldtrace" >"$state/uri_primary"
  echo "postgresql://coldtrace@127.0.0.1:$p2/coldtrace" >"$state/uri_standby"
  echo "postgresql://coldtrace@127.0.0.1:$p1,127.0.0.1:$p2/coldtrace?target_session_attrs=read-write&connect_timeout=2" \
    >"$state/uri_both"
  echo "PostgreSQL primary on 127.0.0.1:$p1, synchronous standby on 127.0.0.1:$p2, data in $t"
}

kill_primary() {
  local pid
  pid=$(head -1 "$(top)/primary/postmaster.pid")
  # Its children, to end them at stop (they notice the postmaster's death and exit themselves).
  ps -o pid= --ppid "$pid" >"$state/primary_children" || true
  kill -KILL "$pid"
  echo "primary postmaster $pid killed"
}

promote() {
  ctl standby -w -t 60 promote >/dev/null
  echo "standby promoted"
}

case "$cmd" in
  start) start ;;
  kill-primary) kill_primary ;;
  promote) promote ;;
  psql) run_psql "${3:?node}" "${4:?sql}" ;;
  stop) stop ;;
  *) echo "usage: $0 start|kill-primary|promote|psql|stop STATE_DIR" >&2; exit 2 ;;
esac
