#!/usr/bin/env bash
# Installs what normlab needs and a machine lacks: Debian packages (with apt-get when run as root; otherwise
# prints the exact command and stops) and the npm dependencies (npm ci when node_modules is absent or stale).
#   scripts/ensure-deps.sh            everything the tests need (npm test)
#   scripts/ensure-deps.sh --build    only what building and serving the lab needs (npm start, npm run build)
#   scripts/ensure-deps.sh --bench    the build, plus PyTorch (npm run bench)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake g++ make nlohmann-json3-dev emscripten)
case "${1:-}" in
  --build) ;;
  --bench) packages+=(python3-torch python3-numpy) ;;
  *) packages+=(googletest python3-torch python3-sklearn python3-numpy chromium) ;;
esac

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
