#!/usr/bin/env bash
# `npm test`: build, type-check, lint, then every test against the real parts.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s globstar nullglob
bash scripts/install-test-deps.sh
npm run --silent build
npm run --silent typecheck
npm run --silent lint
files=(test/**/*.test.ts)
if [[ $# -gt 0 ]]; then files=("$@"); fi
exec node --import tsx --test --test-reporter=spec "${files[@]}"
