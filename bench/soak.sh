#!/usr/bin/env bash
# The fault soak at full size (issue 3): 10 000 chaotic requests per adapter by default. Writes the ledger
# to bench/results/soak-<date>-<host>-<adapter>.json. Usage: npm run soak [-- requests]
set -euo pipefail
cd "$(dirname "$0")/.."
requests="${1:-10000}"
stamp="$(date -u +%Y-%m-%d)-$(hostname)"
export SOAK_REQUESTS="$requests"
export SOAK_REPORT="bench/results/soak-${stamp}-{adapter}.json"
node --expose-gc --experimental-vm-modules node_modules/jest/bin/jest.js test/soak --testTimeout=600000
ls -1 bench/results/soak-"${stamp}"-*.json
