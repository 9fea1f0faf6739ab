#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, AddressSanitizer and UBSan, and runs each for a
# bounded time (seconds, default 60). Any crash or sanitizer report fails the run.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
seconds=${1:-60}
coldtrace_install_missing
build="$COLDTRACE_ROOT/build/fuzz"
CC=clang CXX=clang++ coldtrace_build "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCOLDTRACE_FUZZ=ON -DCOLDTRACE_TESTS=OFF
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
for target in "$build"/tests/fuzz/fuzz_*; do
  [ -x "$target" ] || continue
  name=$(basename "$target")
  corpus="$build/corpus/$name"
  mkdir -p "$corpus"
  seeds="$COLDTRACE_ROOT/tests/fuzz/seeds/${name#fuzz_}"
  echo "== $name for ${seconds}s"
  "$target" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 "$corpus" \
    $( [ -d "$seeds" ] && echo "$seeds" ) 2>&1 | tail -n 12
  echo "== $name: no crash, no sanitizer report"
done
