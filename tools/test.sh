#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test with ctest.
#   tools/test.sh            the default run (what CI runs)
#   tools/test.sh -L slow    extra ctest arguments are passed on
#   tools/test.sh -L failover   the failover test alone (left out of the default run; .ci/run
#                               runs it on its own, with a time bound)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
coldtrace_install_missing
build="$COLDTRACE_ROOT/build/test"
coldtrace_build "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOLDTRACE_WERROR=ON
cd "$build"
[ $# -gt 0 ] || set -- -LE failover
ctest --output-on-failure -j "$(nproc)" "$@"
