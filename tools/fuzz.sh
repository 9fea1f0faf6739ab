#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, AddressSanitizer and UBSan, and runs each for a
# bounded time (seconds, default 60). Any crash or sanitizer report fails the run.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
seconds=${1:-60}
coldtrace_install_missing
build="$COLDTRACE_ROOT/build/fuzz"
if [ ! -f "$build/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S "$COLDTRACE_ROOT" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOLDTRACE_FUZZ=ON -DCOLDTRACE_TESTS=OFF
fi
cmake --build "$build" --target fuzzers -j "$(nproc)"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
for target in "$build"/tests/fuzz/fuzz_*; do
  [ -f "$target" ] && [ -x "$target" ] || continue
  name=$(basename "$target")
  corpus="$build/corpus/$name"
  mkdir -p "$corpus"
  seeds="$COLDTRACE_ROOT/tests/fuzz/seeds/${name#fuzz_}"
  echo "== $name for ${seconds}s"
  log="$build/$name.log"
  if ! "$target" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 "$corpus" \
    $( [ -d "$seeds" ] && echo "$seeds" ) >"$log" 2>&1; then
    tail -n 80 "$log"
    echo "== $name FAILED (crash or sanitizer report above)"
    exit 1
  fi
  grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$log" || tail -n 3 "$log"
  echo "== $name: no crash, no sanitizer report"
done
