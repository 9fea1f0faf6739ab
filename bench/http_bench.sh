#!/usr/bin/env bash
# The HTTP benchmark, on demand: wrk at 64 connections against
#   - the public verification endpoint (GET /api/v1/verify?code=...) and the /c/ page (when the
#     pages are built), each beside nginx serving a static file of its size on another port;
#   - authenticated dispatch (POST /api/v1/dispatch, a durable write each), beside the disk's
#     one-commit-per-fsync rate (SQLite, WAL, synchronous=FULL, one INSERT per commit) and the
#     same dispatch load with group commit off (--max-batch 1), all measured in this run.
# Prints requests/s (dispatch: 2xx answers only), p50/p99 and the ratios, then each target of
# issue 14 beside its baseline from this same run, and the load average at start and end (a
# busy machine makes every figure noisy). Usage: bench/http_bench.sh [seconds per run]
# Figures and how to read them: docs/performance.md.
set -euo pipefail
source "$(dirname "$0")/../tools/lib/common.sh"
seconds=${1:-10}
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
coldtrace_install_missing wrk nginx-light curl jq
# COLDTRACE_BENCH_BUILD reuses a build directory that already has tools/coldtrace.
build=${COLDTRACE_BENCH_BUILD:-$COLDTRACE_ROOT/build/bench}
[ -f "$build/build.ninja" ] ||
  cmake -S "$COLDTRACE_ROOT" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOLDTRACE_TESTS=OFF
cmake --build "$build" --target coldtrace -j "$(nproc)" >/dev/null
ct="$build/tools/coldtrace"

# On the build disk, not tmpfs: dispatch durability (fsync) is part of what is measured.
work=$(mktemp -d "$COLDTRACE_ROOT/build/http-bench-XXXXXX")
port=18080
nginx_port=18081
base="http://127.0.0.1:$port"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_for() {  # url
  for _ in $(seq 100); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "http_bench: $1 did not come up" >&2
  exit 1
}

start_server() {  # extra serve options...
  "$ct" serve --db "$work/bench.db" --keys "$work/keys" --listen "127.0.0.1:$port" \
    --public-url https://trace.example.gov.cn "$@" 2>>"$work/server.log" &
  server_pid=$!
  pids+=("$server_pid")
  wait_for "$base/healthz"
}
stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid" || true
}

# wrk's summary → "rps p50 p99 bad": rps counts 2xx/3xx answers only (wrk's own figure counts
# every answer, and a 409 costs no commit), latencies in ms, bad = the other answers.
run_wrk() {  # name, wrk args...
  local name=$1
  shift
  wrk -t2 -c64 -d"${seconds}s" --latency "$@" >"$work/$name.wrk" 2>&1
  awk '
    function ms(t) {  # wrk prints 850.00us, 3.90ms, 1.02s or 2.00m
      if (t ~ /us$/) return t / 1000
      if (t ~ /ms$/) return t + 0
      if (t ~ /m$/) return t * 60000
      if (t ~ /s$/) return t * 1000
      return t + 0
    }
    / requests in / { n = $1; d = $4; sub(/,$/, "", d); secs = ms(d) / 1000 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { bad = $5 }
    END { printf "%.0f %.2f %.2f %d\n", (secs > 0 ? (n - bad) / secs : 0), p50, p99, bad }
  ' "$work/$name.wrk"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

echo "== setting up in $work"
"$ct" keygen --dir "$work/keys" >/dev/null
"$ct" db init --db "$work/bench.db" >/dev/null
"$ct" db demo --db "$work/bench.db" --keys "$work/keys" --token-out "$work/admin-token" \
  >"$work/demo.txt"
admin=$(cat "$work/admin-token")
digits=$(grep -m1 -o '/c/[0-9]*' "$work/demo.txt" | cut -c4-)
start_server

# nginx beside it, serving static files as large as the verification answer and the page.
curl -fs "$base/api/v1/verify?code=$digits" >"$work/verify.json"
mkdir -p "$work/www" "$work/nginx"
cp "$work/verify.json" "$work/www/static.json"
curl -s "$base/c/$digits" >"$work/www/page.html"
# nginx's workers drop root for an unprivileged user, who must be able to read the file.
chmod a+rx "$work" "$work/www"
chmod a+r "$work/www/static.json" "$work/www/page.html"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  # Each request logged, as coldtrace logs each one: the same work on both sides.
  access_log $work/nginx/access.log;
  default_type application/json;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx;
  scgi_temp_path $work/nginx;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
  }
}
CONF
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=("$!")
wait_for "http://127.0.0.1:$nginx_port/static.json"

echo "== reads: ${seconds}s each, 64 connections"
read -r h_rps h_p50 h_p99 h_bad < <(run_wrk healthz "$base/healthz")
read -r v_rps v_p50 v_p99 v_bad < <(run_wrk verify "$base/api/v1/verify?code=$digits")
read -r n_rps n_p50 n_p99 n_bad < <(run_wrk nginx "http://127.0.0.1:$nginx_port/static.json")
page=""
if [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/c/$digits")" = 200 ]; then
  read -r p_rps p_p50 p_p99 p_bad < <(run_wrk page "$base/c/$digits")
  read -r np_rps np_p50 np_p99 np_bad < <(run_wrk nginx_page "http://127.0.0.1:$nginx_port/page.html")
  page=1
fi

echo "== writes: a warehouse with released lots to dispatch from"
auth=(-H "Authorization: Bearer $admin" -H "Content-Type: application/json")
unit() {  # first17 kind
  local credit
  credit=$(python3 -c "
a='0123456789ABCDEFGHJKLMNPQRTUWXY'; w=[1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28]
s='$1'; print(s + a[(31 - sum(a.index(c) * w[i] for i, c in enumerate(s)) % 31) % 31])")
  curl -fs "${auth[@]}" "$base/api/v1/units" \
    -d "{\"credit_code\":\"$credit\",\"name\":\"bench $2\",\"kind\":\"$2\",\"region\":\"bench\"}" |
    jq -r .id
}
warehouse=$(unit 91310000BENCH0001 warehouse)
consignee=$(unit 92310000BENCH0002 seller)
wh_token=$(curl -fs "${auth[@]}" "$base/api/v1/accounts" \
  -d "{\"unit\":$warehouse,\"role\":\"warehouse\",\"name\":\"bench\"}" | jq -r .token)
export base wh_token
released_lot() {
  local h=(-H "Authorization: Bearer $wh_token" -H "Content-Type: application/json")
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
  jq -r .code.id <<<"$in"
}
export -f released_lot
# Each code may have 16.7 million children (payload v2) and holds 100 t, dispatched a gram at
# a time: 64 codes (one per connection) take any run at any rate this machine reaches. One list
# per run, so that no run meets codes the previous one drew down. A run whose answers are not
# all 2xx says so below, and only its 2xx answers are counted.
lots=64
seq "$lots" | xargs -P 16 -I{} bash -c released_lot >"$work/codes.txt"
seq "$lots" | xargs -P 16 -I{} bash -c released_lot >"$work/codes1.txt"
write_lua() {  # codes file, script file
  cat >"$2" <<LUA
local codes = {}
for line in io.lines("$1") do codes[#codes + 1] = tonumber(line) end
local n = 0
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $wh_token"
wrk.headers["Content-Type"] = "application/json"
function setup(thread) thread:set("offset", math.random(#codes)) end
request = function()
  n = n + 1
  local code = codes[((n + (offset or 0)) % #codes) + 1]
  return wrk.format(nil, "/api/v1/dispatch", nil,
    '{"code":' .. code .. ',"consignee":$consignee,"quantity_g":1}')
end
LUA
}
write_lua "$work/codes.txt" "$work/dispatch.lua"
write_lua "$work/codes1.txt" "$work/dispatch1.lua"

# The disk's rate swings from one minute to the next: measured right before each dispatch run,
# and the higher of the two is the baseline (the ratios are then the conservative ones).
fsync_rate() {  # commits per second of one INSERT per commit, WAL, synchronous=FULL
  local commits=1000 t0 t1
  rm -f "$work/fsync.db"*
  {
    echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(x);"
    for _ in $(seq "$commits"); do echo "INSERT INTO t VALUES (1);"; done
  } >"$work/fsync.sql"
  t0=$(date +%s.%N)
  sqlite3 "$work/fsync.db" <"$work/fsync.sql" >/dev/null
  t1=$(date +%s.%N)
  awk -v n="$commits" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }'
}
echo "== the disk's one-commit-per-fsync rate (SQLite WAL, synchronous=FULL)"
fsync_a=$(fsync_rate)
echo "== dispatch, group commit (${seconds}s, 64 connections)"
read -r d_rps d_p50 d_p99 d_bad < <(run_wrk dispatch -s "$work/dispatch.lua" "$base/api/v1/dispatch")
batch_max=$(curl -fs -H "Authorization: Bearer $admin" "$base/metrics" | awk '/^coldtrace_commit_batch_max/ {print $2}')
stop_server
echo "== dispatch, one commit per operation (--max-batch 1)"
fsync_b=$(fsync_rate)
fsync_best=$((fsync_a > fsync_b ? fsync_a : fsync_b))
start_server --max-batch 1
read -r b_rps b_p50 b_p99 b_bad < <(run_wrk dispatch1 -s "$work/dispatch1.lua" "$base/api/v1/dispatch")
stop_server
"$ct" audit verify --db "$work/bench.db"

load_end=$(cut -d' ' -f1-3 /proc/loadavg)

printf '\n%-44s %10s %9s %9s %s\n' "" "req/s" "p50 ms" "p99 ms" "ratio"
printf '%-44s %10s %9s %9s %s\n' "nginx static file ($(wc -c <"$work/verify.json") B)" \
  "$n_rps" "$n_p50" "$n_p99" ""
printf '%-44s %10s %9s %9s %s\n' "GET /healthz (the HTTP layer alone)" "$h_rps" "$h_p50" \
  "$h_p99" "$(ratio "$h_rps" "$n_rps") × nginx"
printf '%-44s %10s %9s %9s %s\n' "GET /api/v1/verify" "$v_rps" "$v_p50" "$v_p99" \
  "$(ratio "$v_rps" "$n_rps") × nginx, $(ratio "$v_rps" "$h_rps") × /healthz"
if [ -n "$page" ]; then
  printf '%-44s %10s %9s %9s %s\n' "nginx static file ($(wc -c <"$work/www/page.html") B)" \
    "$np_rps" "$np_p50" "$np_p99" ""
  printf '%-44s %10s %9s %9s %s\n' "GET /c/<digits> page" "$p_rps" "$p_p50" "$p_p99" \
    "$(ratio "$p_rps" "$np_rps") × nginx (same size)"
fi
printf '%-44s %10s %9s %9s %s\n' "one commit per fsync (sqlite3, same disk)" "$fsync_best" "" "" \
  "(the higher of $fsync_a and $fsync_b)"
printf '%-44s %10s %9s %9s %s\n' "POST /api/v1/dispatch, --max-batch 1, 2xx" "$b_rps" "$b_p50" \
  "$b_p99" "$(ratio "$b_rps" "$fsync_best") × fsync rate"
printf '%-44s %10s %9s %9s %s\n' "POST /api/v1/dispatch, group commit, 2xx" "$d_rps" "$d_p50" \
  "$d_p99" "$(ratio "$d_rps" "$fsync_best") × fsync rate, $(ratio "$d_rps" "$b_rps") × batch 1"
echo "(largest group commit during the dispatch run: ${batch_max:-?} operations)"
for run in healthz:$h_bad verify:$v_bad page:${p_bad:-0} dispatch:$d_bad dispatch1:$b_bad; do
  if [ "${run#*:}" -gt 0 ]; then
    echo "(${run%%:*}: ${run#*:} answers were not 2xx, and are not counted)"
  fi
done

# Each target beside its baseline from this run. A ✗ on a busy machine says little: see the
# load averages.
target() {  # label, value, baseline value, minimum ratio, baseline name
  local r
  r=$(ratio "$2" "$3")
  awk -v r="$r" -v t="$4" 'BEGIN { exit !(r >= t) }' && mark=✓ || mark=✗
  printf '%s %s %s× %s (target ≥%s)' "$mark" "$1" "$r" "$5" "$4"
}
p99_target() {  # p99 in ms, maximum
  awk -v p="$1" -v t="$2" 'BEGIN { exit !(p <= t) }' && mark=✓ || mark=✗
  printf ' p99 %s ms (target ≤%s, %s)\n' "$1" "$2" "$mark"
}
echo
echo "== targets (issue 14), each against its baseline from this run"
target "/healthz" "$h_rps" "$n_rps" 1.0 "nginx"
echo
target "verify" "$v_rps" "$n_rps" 0.8 "nginx"
p99_target "$v_p99" 5
if [ -n "$page" ]; then
  target "/c/" "$p_rps" "$np_rps" 0.6 "nginx (same size)"
  echo
fi
target "dispatch" "$d_rps" "$fsync_best" 10 "fsync rate"
echo
echo "load average (1, 5, 15 min): $load_start at start, $load_end at the end"
