#!/usr/bin/env bash
# npm start: install what is missing, build the wasm module and dist/ (as npm run build), serve dist/ and print the URL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --build
bash scripts/build-wasm.sh
node scripts/build-page.mjs
exec node scripts/serve.mjs "$@"
