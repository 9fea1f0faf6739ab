# Shared by tools/run.sh and tools/test.sh: install what is missing, then build.
# Sourced, not run.

COLDTRACE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Debian packages the build, the tests and the demo need.
COLDTRACE_PACKAGES=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libqrencode-dev libssl-dev openssl libpng-dev libxlsxwriter-dev libexpat1-dev zlib1g-dev
  libcli11-dev catch2
  postgresql-15 libpq-dev libsodium-dev curl
  libcairo2-dev libpango1.0-dev poppler-utils
  zbar-tools python3-openpyxl nodejs npm chromium fonts-noto-cjk
)

# Installs the packages that are not installed yet; no apt call when all are present.
coldtrace_install_missing() {
  local missing=() p
  for p in "${COLDTRACE_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  # nodejs may come from another repository under another package name, with npm in it;
  # node and npm are what we use.
  if command -v node >/dev/null 2>&1; then
    missing=("${missing[@]/nodejs/}")
  fi
  if command -v npm >/dev/null 2>&1; then
    missing=("${missing[@]/npm/}")
  fi
  local wanted=()
  for p in "${missing[@]}"; do [ -n "$p" ] && wanted+=("$p"); done
  if [ ${#wanted[@]} -gt 0 ]; then
    echo "installing: ${wanted[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    # The tests start throwaway clusters of their own (tools/lib/pg_throwaway.sh): the package
    # must not create and start a `main` cluster on port 5432.
    if [[ " ${wanted[*]} " == *" postgresql-15 "* ]]; then
      $sudo mkdir -p /etc/postgresql-common/createcluster.d
      echo "create_main_cluster = false" |
        $sudo tee /etc/postgresql-common/createcluster.d/coldtrace.conf >/dev/null
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${wanted[@]}"
  fi
  coldtrace_npm_ci
}

# web/'s npm packages (the QR decoder the build embeds, the browser tests' drivers) with
# `npm ci`; skipped while node_modules was installed from the current package-lock.json.
coldtrace_npm_ci() {
  local web="$COLDTRACE_ROOT/web" stamp="$COLDTRACE_ROOT/web/node_modules/.coldtrace-lock"
  [ -f "$web/package-lock.json" ] || return 0
  local want
  want=$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
  echo "npm ci in $web"
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error) && echo "$want" >"$stamp"
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
