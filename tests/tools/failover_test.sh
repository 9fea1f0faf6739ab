#!/usr/bin/env bash
# Failover with a synchronous standby (issue 13; ctest `failover:pg`, label failover):
# `coldtrace serve` on a PostgreSQL primary whose commits wait for a streaming standby takes
# intakes from a client loop that records every acknowledged one (HTTP 201); the primary's
# postmaster is killed with SIGKILL mid-writes; the standby is promoted (pg_ctl promote); serve
# is started again on the same two-host URI and finds the new primary; writes go on. Then
# every acknowledged intake must be on the promoted standby and `coldtrace audit verify` must
# pass there. Loopback only, ephemeral ports; everything is stopped at the end.
#   tests/tools/failover_test.sh path/to/coldtrace
set -euo pipefail
export LC_ALL=C
if [ "${COLDTRACE_TEST_PG:-}" = none ]; then
  echo "COLDTRACE_TEST_PG=none: no PostgreSQL, the failover test is skipped"
  exit 0
fi

cli=$(realpath "${1:?usage: $0 path/to/coldtrace}")
root=$(cd "$(dirname "$0")/../.." && pwd)
pair="$root/tools/lib/pg_standby.sh"
work=$(mktemp -d /tmp/coldtrace-failover-XXXXXX)
state="$work/pg"
serve_pid=""
client_pid=""
for v in $(env | sed -n 's/^\(PG[A-Z_]*\)=.*/\1/p'); do unset "$v"; done  # the URI alone counts

cleanup() {
  [ -n "$client_pid" ] && kill "$client_pid" 2>/dev/null && wait "$client_pid" 2>/dev/null
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  "$pair" stop "$state" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  for f in "$work"/serve-*.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }; done
  exit 1
}

free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 40000))
    ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return 0; }
  done
  return 1
}

"$pair" start "$state"
both=$(cat "$state/uri_both")

# The cast: a warehouse and its operator's token.
"$cli" keygen --dir "$work/keys" >/dev/null
"$cli" db init --db "$both" >/dev/null
unit=$("$cli" unit add --db "$both" --credit-code 91310115MA1H000011 --name 浦东集中监管仓 \
  --kind warehouse --region 上海市 2>&1) || fail "unit add: $unit"
"$cli" account create --db "$both" --unit "$unit" --role warehouse --name 张伟 \
  --token-out "$work/token" >/dev/null
token=$(cat "$work/token")

port=$(free_port)
start_serve() {
  "$cli" serve --db "$both" --keys "$work/keys" --public-url https://trace.example.gov.cn \
    --listen "127.0.0.1:$port" --threads 2 --blocking-threads 4 >"$work/serve-$1.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 200); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$serve_pid" 2>/dev/null || fail "serve exited at start"
    sleep 0.05
  done
  fail "serve did not answer /healthz"
}

# SIGTERM (a drain), then SIGKILL if it has not exited within 5 s.
stop_serve() {
  kill -TERM "$serve_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$serve_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$serve_pid" 2>/dev/null || true
  wait "$serve_pid" 2>/dev/null || true
  serve_pid=""
}

# Intakes one after another, each a product name of its own; the acknowledged ones (201) are
# appended to acked, the others (refused connection, 503 while the primary is gone) are not.
client() {
  local i=0 code
  while [ ! -f "$work/stop" ]; do
    i=$((i + 1))
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
      -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"product\": \"failover-$i\", \"category\": \"domestic_frozen\", \"origin\": \"CN\",
           \"net_weight_g\": 1000, \"packages\": 1, \"consignor\": \"c\", \"vehicle\": \"v\"}" \
      "http://127.0.0.1:$port/api/v1/lots" || true)
    if [ "$code" = 201 ]; then echo "failover-$i" >>"$work/acked"; else sleep 0.05; fi
  done
}
acked() { [ -f "$work/acked" ] && wc -l <"$work/acked" || echo 0; }
wait_acked() {  # until at least $1 intakes are acknowledged, or $2 seconds
  for _ in $(seq $(($2 * 10))); do
    [ "$(acked)" -ge "$1" ] && return 0
    sleep 0.1
  done
  fail "only $(acked) intakes acknowledged, $1 expected"
}

start_serve 1
client &
client_pid=$!
wait_acked 30 60

# The primary dies mid-writes.
"$pair" kill-primary "$state"
before=$(acked)
sleep 1
"$pair" promote "$state"
# serve's connections went with the primary: it is restarted (as systemd would) on the same
# two-host URI, where target_session_attrs=read-write finds the promoted standby.
stop_serve
start_serve 2
wait_acked $((before + 20)) 60
touch "$work/stop"
wait "$client_pid" || true
client_pid=""
stop_serve

# Every acknowledged intake is on the promoted standby.
"$pair" psql "$state" standby "SELECT product FROM lots" | sort >"$work/present"
sort "$work/acked" >"$work/acked.sorted"
missing=$(comm -23 "$work/acked.sorted" "$work/present" | wc -l)
total=$(wc -l <"$work/acked.sorted")
[ "$missing" -eq 0 ] || fail "$missing of $total acknowledged intakes are missing after failover: $(comm -23 "$work/acked.sorted" "$work/present" | head -5 | tr '\n' ' ')"
[ "$("$pair" psql "$state" standby "SELECT pg_is_in_recovery()")" = f ] || fail "the standby was not promoted"
audit=$("$cli" audit verify --db "$(cat "$state/uri_standby")") || fail "audit verify: $audit"
echo "$audit"
echo "PASS: $total intakes acknowledged ($before before the primary was killed), all present on the promoted standby; audit verify intact"
