#!/usr/bin/env bash
# Installs what normlab needs and a machine lacks: Debian packages (with apt-get when run as root; otherwise
# prints the exact command and stops) and the npm dependencies (npm ci when node_modules is absent).
#   scripts/ensure-deps.sh [--no-browser]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake g++ make googletest nlohmann-json3-dev emscripten python3-torch python3-sklearn python3-numpy)
[ "${1:-}" = "--no-browser" ] || packages+=(chromium)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "normlab: installing ${missing[*]} with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "normlab: missing system packages. Run:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "normlab: installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
