#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test with ctest.
#   tools/test.sh            the default run (what CI runs)
#   tools/test.sh -L slow    extra ctest arguments are passed on
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
coldtrace_install_missing
build="$COLDTRACE_ROOT/build/test"
coldtrace_build "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOLDTRACE_WERROR=ON
cd "$build"
ctest --output-on-failure -j "$(nproc)" "$@"
