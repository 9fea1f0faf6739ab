# Shared by tools/run.sh and tools/test.sh: install what is missing, then build.
# Sourced, not run.

COLDTRACE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Debian packages the build, the tests and the demo need.
COLDTRACE_PACKAGES=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libqrencode-dev libssl-dev openssl libpng-dev
  libcli11-dev catch2
  zbar-tools nodejs
)

# Installs the packages that are not installed yet; no apt call when all are present.
coldtrace_install_missing() {
  local missing=() p
  for p in "${COLDTRACE_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  # nodejs may come from another repository under another package name; node is what we use.
  if command -v node >/dev/null 2>&1; then
    missing=("${missing[@]/nodejs/}")
  fi
  local wanted=()
  for p in "${missing[@]}"; do [ -n "$p" ] && wanted+=("$p"); done
  [ ${#wanted[@]} -eq 0 ] && return 0
  echo "installing: ${wanted[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${wanted[@]}"
}

# Configures (once) and builds into $1 with the remaining arguments given to cmake.
coldtrace_build() {
  local dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S "$COLDTRACE_ROOT" -B "$dir" -G Ninja "$@"
  fi
  cmake --build "$dir" -j "$(nproc)"
}
