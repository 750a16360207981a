#!/usr/bin/env bash
# `npm test`: build, type-check, lint, then every test against the real parts (vitest:
# the unit project several files at once, then the e2e project one file at a time; see
# vitest.config.ts). `npm test -- test/path/x.test.ts ...` runs the files named.
# The last line is `N passed, N failed` (`, N skipped`), from test/reporter.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
npm run --silent build
npm run --silent typecheck
npm run --silent lint
exec npx vitest run "$@"
