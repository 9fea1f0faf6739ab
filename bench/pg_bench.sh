#!/usr/bin/env bash
# SQLite against PostgreSQL, on demand (issue 13): durable dispatches per second (POST
# /api/v1/dispatch, each answered after its commit) and verifications per second (GET
# /api/v1/verify) with wrk at 64 connections, for
#   - one `coldtrace serve` on a SQLite file (WAL, synchronous=FULL): the baseline;
#   - one server on PostgreSQL 15 (fsync on, synchronous_commit on);
#   - two servers on the same PostgreSQL database, 32 connections each, their rates summed.
# Everything in this run, on the build disk: prints each rate with its ratio to SQLite's, p99s,
# and `uptime` at the start and the end (figures from a busy machine mean little).
# Usage: bench/pg_bench.sh [seconds per run]; COLDTRACE_BENCH_BUILD names a build directory
# that has tools/coldtrace (default build/bench, configured as Release).
# A smoke run (seconds, any build): COLDTRACE_BENCH_BUILD=build/test bench/pg_bench.sh 1
# Where its figures go: docs/performance.md, "SQLite and PostgreSQL".
set -euo pipefail
source "$(dirname "$0")/../tools/lib/common.sh"
seconds=${1:-10}
uptime_start=$(uptime)
coldtrace_install_missing wrk curl jq
build=${COLDTRACE_BENCH_BUILD:-$COLDTRACE_ROOT/build/bench}
[ -f "$build/build.ninja" ] ||
  cmake -S "$COLDTRACE_ROOT" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOLDTRACE_TESTS=OFF
cmake --build "$build" --target coldtrace -j "$(nproc)" >/dev/null
ct="$build/tools/coldtrace"

# On the build disk, not tmpfs: the commits' fsyncs are what is measured. PostgreSQL's server
# runs as `postgres` when we are root: it must be able to enter the folder.
work=$(mktemp -d "$COLDTRACE_ROOT/build/pg-bench-XXXXXX")
chmod 0755 "$work"
pg_state="$work/pg"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$COLDTRACE_ROOT/tools/lib/pg_throwaway.sh" stop "$pg_state" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
for v in $(env | sed -n 's/^\(PG[A-Z_]*\)=.*/\1/p'); do unset "$v"; done

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_for() {
  for _ in $(seq 100); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "pg_bench: $1 did not come up" >&2
  exit 1
}

echo "== PostgreSQL in $work (durable: fsync, synchronous_commit, full_page_writes on)"
COLDTRACE_PG_PARENT=$work "$COLDTRACE_ROOT/tools/lib/pg_throwaway.sh" start "$pg_state"
pg="$(cat "$pg_state/uri")coldtrace"
pgdata=$(cat "$pg_state/datadir")
port_of_pg=$(sed -n 's/.*@127.0.0.1:\([0-9]*\)\/.*/\1/p' "$pg_state/uri")
pg_admin() {  # SQL, as the cluster's superuser over its socket
  local as=()
  [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
  (cd "$work" && "${as[@]}" psql -h "$pgdata" -p "$port_of_pg" -U postgres -d postgres -qAt \
    -c "$1" >/dev/null)
}
pg_admin "ALTER SYSTEM SET fsync = on"
pg_admin "ALTER SYSTEM SET synchronous_commit = on"
pg_admin "ALTER SYSTEM SET full_page_writes = on"
pg_admin "SELECT pg_reload_conf()"

"$ct" keygen --dir "$work/keys" >/dev/null
lite="$work/bench.db"
"$ct" db demo --db "$lite" --keys "$work/keys" --token-out "$work/admin-lite" >"$work/demo-lite.txt"
"$ct" db demo --db "$pg" --keys "$work/keys" --token-out "$work/admin-pg" >"$work/demo-pg.txt"

# Servers on `db`, one per port given; sets `ports`.
start_servers() {  # db count
  ports=()
  local i
  for i in $(seq "$2"); do
    local port
    port=$(free_port)
    "$ct" serve --db "$1" --keys "$work/keys" --listen "127.0.0.1:$port" \
      --public-url https://trace.example.gov.cn 2>>"$work/server.log" &
    pids+=("$!")
    wait_for "http://127.0.0.1:$port/healthz"
    ports+=("$port")
  done
}
stop_servers() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
}

# A warehouse, a shop and released lots to dispatch from, through the first server.
setup_writes() {  # admin token file, a number of this run (for the units' credit codes)
  local base="http://127.0.0.1:${ports[0]}" admin wh shop token credit
  admin=$(cat "$1")
  local auth=(-H "Authorization: Bearer $admin" -H "Content-Type: application/json")
  unit() {  # first17 kind
    credit=$(python3 -c "
a='0123456789ABCDEFGHJKLMNPQRTUWXY'; w=[1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28]
s='$1'; print(s + a[(31 - sum(a.index(c) * w[i] for i, c in enumerate(s)) % 31) % 31])")
    curl -fs "${auth[@]}" "$base/api/v1/units" \
      -d "{\"credit_code\":\"$credit\",\"name\":\"bench $2\",\"kind\":\"$2\",\"region\":\"bench\"}" |
      jq -r .id
  }
  wh=$(unit "91310000PGBN000${2}1" warehouse)
  shop=$(unit "92310000PGBN000${2}2" seller)
  token=$(curl -fs "${auth[@]}" "$base/api/v1/accounts" \
    -d "{\"unit\":$wh,\"role\":\"warehouse\",\"name\":\"bench\"}" | jq -r .token)
  local h=(-H "Authorization: Bearer $token" -H "Content-Type: application/json")
  : >"$work/codes.txt"
  for _ in $(seq 64); do
    local in lot sample
    in=$(curl -fs "${h[@]}" "$base/api/v1/lots" -d '{"product":"冻猪肉","category":"domestic_frozen",
      "origin":"CN","net_weight_g":100000000,"packages":10,"consignor":"bench","vehicle":"沪A·1"}')
    lot=$(jq -r .lot.id <<<"$in")
    sample=$(curl -fs "${h[@]}" "$base/api/v1/lots/$lot/samples" \
      -d '{"type":"environment","collector":"bench"}' | jq -r .id)
    curl -fs "${h[@]}" "$base/api/v1/samples/$sample/result" \
      -d '{"outcome":"negative","lab":"bench","report_number":"B-1"}' >/dev/null
    curl -fs "${h[@]}" "$base/api/v1/lots/$lot/disinfections" \
      -d '{"agent":"bench","operator":"bench","certificate":"B-1"}' >/dev/null
    curl -fs "${h[@]}" -X POST "$base/api/v1/lots/$lot/release" >/dev/null
    jq -r .code.id <<<"$in" >>"$work/codes.txt"
  done
  cat >"$work/dispatch.lua" <<LUA
local codes = {}
for line in io.lines("$work/codes.txt") do codes[#codes + 1] = tonumber(line) end
local n = 0
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
function setup(thread) thread:set("offset", math.random(#codes)) end
request = function()
  n = n + 1
  local code = codes[((n + (offset or 0)) % #codes) + 1]
  return wrk.format(nil, "/api/v1/dispatch", nil,
    '{"code":' .. code .. ',"consignee":$shop,"quantity_g":1}')
end
LUA
}

# wrk against every server at once, 64 connections split between them: "2xx/s p99_ms" summed
# (2xx answers only) and the worst p99.
run_wrk() {  # name, wrk args before the URL path...
  local name=$1 path=$2
  shift 2
  local c=$((64 / ${#ports[@]})) i=0
  for port in "${ports[@]}"; do
    wrk -t1 -c"$c" -d"${seconds}s" --latency "$@" "http://127.0.0.1:$port$path" \
      >"$work/$name.$i.wrk" 2>&1 &
    i=$((i + 1))
  done
  wait  # for the wrk runs (this is a subshell: they are all it started)
  awk '
    function ms(t) {
      if (t ~ /us$/) return t / 1000
      if (t ~ /ms$/) return t + 0
      if (t ~ /m$/) return t * 60000
      if (t ~ /s$/) return t * 1000
      return t + 0
    }
    FNR == 1 { bad = 0 }
    / requests in / { n = $1; d = $4; sub(/,$/, "", d); secs = ms(d) / 1000 }
    $1 == "99%" { p = ms($2); if (p > p99) p99 = p }
    /Non-2xx or 3xx responses:/ { bad = $5 }
    /^Transfer\/sec/ { if (secs > 0) rps += (n - bad) / secs }
    END { printf "%.0f %.2f\n", rps, p99 }
  ' "$work/$name".*.wrk
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

measure() {  # label db servers name (lite or pg) run number
  echo "== $1: verify, then dispatch (${seconds}s each, 64 connections)"
  local digits
  digits=$(grep -m1 -o '/c/[0-9]*' "$work/demo-$4.txt" | cut -c4-)
  start_servers "$2" "$3"
  setup_writes "$work/admin-$4" "$5"
  read -r v_rps v_p99 < <(run_wrk "$1-verify" "/api/v1/verify?code=$digits")
  read -r d_rps d_p99 < <(run_wrk "$1-dispatch" /api/v1/dispatch -s "$work/dispatch.lua")
  stop_servers
  "$ct" audit verify --db "$2" | sed 's/^/   /'
  results+=("$1|$v_rps|$v_p99|$d_rps|$d_p99")
}

results=()
measure "1 server, SQLite" "$lite" 1 lite 1
measure "1 server, PostgreSQL" "$pg" 1 pg 2
measure "2 servers, PostgreSQL" "$pg" 2 pg 3
uptime_end=$(uptime)

IFS='|' read -r _ base_v _ base_d _ <<<"${results[0]}"
printf '\n%-24s %12s %8s %8s %12s %8s %8s\n' "" "verify/s" "p99 ms" "×SQLite" "dispatch/s" \
  "p99 ms" "×SQLite"
for r in "${results[@]}"; do
  IFS='|' read -r label v vp d dp <<<"$r"
  printf '%-24s %12s %8s %8s %12s %8s %8s\n' "$label" "$v" "$vp" "$(ratio "$v" "$base_v")" \
    "$d" "$dp" "$(ratio "$d" "$base_d")"
done
echo "(2xx answers only; dispatches are durable: each answered after its commit)"
echo "uptime at start: $uptime_start"
echo "uptime at end:   $uptime_end"
