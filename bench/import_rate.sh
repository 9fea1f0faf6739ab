#!/usr/bin/env bash
# The import rate, on demand (issue 12's closing note): `coldtrace import` of a CSV of N sales
# (1 g each, the code as its URL) beside two baselines measured in this same run on the same
# database: the same sales sent one by one to POST /api/v1/sale-checks (one keep-alive
# connection, each answered after its commit, as a naive ERP loop sends them), and
# `coldtrace export` of the sales afterwards, beside the sqlite3 shell reading the same table
# as CSV (the raw read: no joins, no formatting). Prints rows/s for each and `uptime` at the
# start and at the end: figures from a busy machine do not compare with a quiet one's.
# Usage: bench/import_rate.sh [rows] [single-operation requests]; COLDTRACE_BENCH_BUILD names a
# build directory that has tools/coldtrace (default build/bench, configured as Release).
# A smoke run (seconds, any build): COLDTRACE_BENCH_BUILD=build/test bench/import_rate.sh 2000 200
set -euo pipefail
source "$(dirname "$0")/../tools/lib/common.sh"
rows=${1:-10000}
singles=${2:-1000}
uptime_start=$(uptime)
coldtrace_install_missing curl bc
build=${COLDTRACE_BENCH_BUILD:-$COLDTRACE_ROOT/build/bench}
[ -f "$build/build.ninja" ] ||
  cmake -S "$COLDTRACE_ROOT" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOLDTRACE_TESTS=OFF
cmake --build "$build" --target coldtrace -j "$(nproc)" >/dev/null
ct="$build/tools/coldtrace"

# On the build disk, not tmpfs: the writes' fsyncs are part of what is measured.
work=$(mktemp -d "$COLDTRACE_ROOT/build/import-rate-XXXXXX")
# A loopback port nobody listens on now.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$ct" keygen --dir "$work/keys" >/dev/null
"$ct" db demo --db "$work/db" --keys "$work/keys" --token-out "$work/admin" >/dev/null
# The active code with the most stock, of a released lot that is not recalled.
read -r code holder < <(sqlite3 -separator ' ' "$work/db" "SELECT c.id, c.holder_id FROM codes c
  JOIN lots l ON l.id = c.lot_id LEFT JOIN recalls r ON r.lot_id = l.id WHERE c.status = 'active'
  AND l.status = 'released' AND r.lot_id IS NULL ORDER BY c.remaining_g DESC LIMIT 1")

"$ct" serve --db "$work/db" --keys "$work/keys" --listen 127.0.0.1:"$port" \
  --public-url "http://127.0.0.1:$port" --allow-http-public-url >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" || {
  cat "$work/serve.log" >&2
  exit 1
}

python3 - "$port" "$(cat "$work/admin")" "$holder" "$code" "$singles" "$rows" "$work/sales.csv" <<'PY'
import http.client, json, sys, time
port, admin, holder, code, singles, rows, out = sys.argv[1:]
c = http.client.HTTPConnection("127.0.0.1", int(port))
def call(method, path, token, body=None):
    c.request(method, path, body=None if body is None else json.dumps(body),
              headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    r = c.getresponse()
    data = json.loads(r.read() or b"null")
    if r.status >= 300: raise SystemExit(f"{method} {path}: {r.status} {data}")
    return data
token = call("POST", "/api/v1/accounts", admin, {"unit": int(holder), "role": "operator", "name": "bench"})["token"]
url = call("GET", f"/api/v1/codes/{code}", token)["url"]
start = time.monotonic()
for i in range(int(singles)):
    r = call("POST", "/api/v1/sale-checks", token, {"code": url, "quantity_g": 1})
    assert r["verdict"] == "valid", r
took = time.monotonic() - start
print(f"single-operation API: {singles} sale checks in {took:.2f} s = {int(singles) / took:.0f} rows/s")
with open(out, "w", encoding="utf-8") as f:
    f.write("参考号,追溯码,数量（千克）\n")
    for i in range(int(rows)):
        f.write(f"POS-{i},{url},0.001\n")
PY
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

# "N rows in S s = R rows/s" for N rows from $1 to $2 (date +%s.%N).
rate() { printf "%s rows in %.3f s = %.0f rows/s" "$3" "$(echo "$2 - $1" | bc)" "$(echo "$3 / ($2 - $1)" | bc -l)"; }

start=$(date +%s.%N)
"$ct" import --db "$work/db" --keys "$work/keys" --unit "$holder" --host 127.0.0.1:"$port" \
  "$work/sales.csv" | head -1
end=$(date +%s.%N)
echo "coldtrace import: $(rate "$start" "$end" "$rows") (the process, start to exit)"
start=$(date +%s.%N)
"$ct" export --db "$work/db" --kind sales --out "$work/sales-out.csv" | head -1
end=$(date +%s.%N)
exported=$(($(wc -l <"$work/sales-out.csv") - 1))
echo "coldtrace export: $(rate "$start" "$end" "$exported") (the process, start to exit)"
start=$(date +%s.%N)
sqlite3 -csv "$work/db" "SELECT * FROM sales" >"$work/sales-raw.csv"
end=$(date +%s.%N)
echo "baseline, sqlite3 -csv of the same table: $(rate "$start" "$end" "$(wc -l <"$work/sales-raw.csv")")"
echo "uptime at start: $uptime_start"
echo "uptime at end:   $(uptime)"
