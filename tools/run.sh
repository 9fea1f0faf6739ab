#!/usr/bin/env bash
# Installs what is missing, builds, and runs coldtrace on the embedded default: everything
# lives under ./var (keys, labels), demo values, each step printed.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
coldtrace_install_missing
build="$COLDTRACE_ROOT/build/run"
coldtrace_build "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ct="$build/tools/coldtrace"
var="$COLDTRACE_ROOT/var"
mkdir -p "$var/labels"
host=${COLDTRACE_HOST:-trace.example.gov.cn}

step() { printf '\n== %s\n' "$*"; }

step "1. signing key ($var/keys)"
if [ -f "$var/keys/signing-key.pem" ]; then
  echo "kept the existing key; public keys in $var/keys/jwks.json"
else
  "$ct" keygen --dir "$var/keys"
fi

step "2. issue a code: 12.5 t of Chilean cherries, lot 1000123, at warehouse unit 1"
url=$("$ct" code issue --key "$var/keys/signing-key.pem" --host "$host" \
  --code-id 1 --lot 1000123 --category imported_fruit --quantity-kg 12500 \
  --holder 1 --origin CL)
echo "$url"
echo "(${#url} characters)"

step "3. print its label"
"$ct" code qr "$url" --out "$var/labels/lot-1000123.png" --module-px 8
"$ct" code qr "$url" --out "$var/labels/lot-1000123.svg" --module-px 8

step "4. verify it offline against the published keys"
"$ct" code verify "$url" --jwks "$var/keys/jwks.json"

step "5. a copied code with one digit changed"
forged="${url%?}$(( (${url: -1} + 1) % 10 ))"
"$ct" code verify "$forged" --jwks "$var/keys/jwks.json" || echo "(exit $?: rejected)"

printf '\nWhere to look:\n  labels: %s\n  keys:   %s\n  CLI:    %s --help\n' \
  "$var/labels" "$var/keys" "$ct"
