#!/usr/bin/env bash
# Installs what is missing, builds, and runs the coldtrace service on 127.0.0.1:8080 in the
# foreground. Everything lives under ./var: the keys, the database with demo data (created
# when absent) and the admin token (mode 0600). Ctrl-C stops the server after a drain.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
coldtrace_install_missing
build="$COLDTRACE_ROOT/build/run"
coldtrace_build "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ct="$build/tools/coldtrace"
var="$COLDTRACE_ROOT/var"
listen=${COLDTRACE_LISTEN:-127.0.0.1:8080}
base="http://$listen"
# The host printed in code URLs (https://HOST/c/...); a real deployment sets its own.
public_url=${COLDTRACE_PUBLIC_URL:-https://trace.example.gov.cn}
db="$var/coldtrace.db"
keys="$var/keys"
token="$var/admin-token"
demo="$var/demo.txt"

# Keys, database and token are secrets or records: nobody else reads them.
umask 077
mkdir -p "$var"

if [ ! -f "$keys/signing-key.pem" ]; then
  echo "== creating the signing key in $keys"
  "$ct" keygen --dir "$keys"
fi
if [ ! -f "$db" ]; then
  echo "== creating $db with demo data"
  "$ct" db init --db "$db"
  "$ct" db demo --db "$db" --keys "$keys" --host "${public_url#*://}" --token-out "$token" |
    tee "$demo"
fi

sample=$(grep -m1 -o '/c/[0-9]*' "$demo" 2>/dev/null | cut -c4- || true)
echo
echo "coldtrace at $base"
if [ -f "$token" ]; then
  echo "  admin token:   $token   (curl -H \"Authorization: Bearer \$(cat $token)\" $base/api/v1/me)"
else
  echo "  admin token:   none in $token (it is written only when the demo data is created)"
fi
echo "  console:       $base/console"
if [ -n "$sample" ]; then
  echo "  a sample code: $base/c/$sample"
  echo "  its verdict:   $base/api/v1/verify?code=$sample"
fi
echo "  metrics:       $base/metrics   (with the admin token)"
echo
# Codes always say https://; an http public URL is for a local test only (serve warns loudly).
http_flag=()
case "$public_url" in http://*) http_flag=(--allow-http-public-url) ;; esac
exec "$ct" serve --db "$db" --keys "$keys" --listen "$listen" --public-url "$public_url" \
  "${http_flag[@]}"
