#!/usr/bin/env bash
# Every PyTorch golden generator, into one directory (default: the committed tests/golden/traces). npm run golden
# rewrites the committed traces; .ci/run writes them elsewhere and requires the same bytes.
#   bash scripts/golden.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-tests/golden/traces}
/usr/bin/python3 tests/golden/make_golden.py --out "$out" --count 10 --seed 1234 --extras
for g in layers sampler scale smoothness inspect nan; do /usr/bin/python3 "tests/golden/make_${g}_golden.py" --out "$out"; done
