#!/usr/bin/env bash
# Every test: native GoogleTest (CTest), the wasm module through node (with native-vs-wasm bit identity),
# the page typechecked and built, and end-to-end in headless Chromium.
# NORMLAB_GOLDEN_DIR=<dir> adds fresh PyTorch traces to the golden replays (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh

echo "== native build and tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2
ctest --test-dir build --output-on-failure -j2

echo "== wasm build"
bash scripts/build-wasm.sh

echo "== node tests (wasm module)"
node --test tests/node/

echo "== page: typecheck, unit tests, build"
npx tsc -p .
npx tsc -p tests/unit/tsconfig.json
node --test tests/unit/
node scripts/build-page.mjs  # dist/, as npm run build leaves it (tests/e2e/dist.test.mjs checks it)

echo "== e2e (headless Chromium against dist/ under a sub-path)"
node --test tests/e2e/
