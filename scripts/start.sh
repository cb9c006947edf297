#!/usr/bin/env bash
# npm start: install what is missing, build the wasm module and the page, serve dist/ and print the URL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --build
bash scripts/build-wasm.sh
npx vite build --logLevel warn
exec node scripts/serve.mjs "$@"
