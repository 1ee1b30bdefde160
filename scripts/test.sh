#!/usr/bin/env bash
# The test command of the README (and of CI): set up, lint, type-check, run every test against a
# real Temporal server that jest's global setup starts and stops.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export NX_DAEMON=false

bash scripts/setup.sh

printf '\n== lint (module boundaries included)\n'
npm run --silent lint

printf '\n== format (Prettier, .prettierrc.json; npm run format fixes it)\n'
npx prettier --check --log-level warn '**/*.{ts,js,cjs,mjs}'

printf '\n== type-check\n'
npx tsc -p tsconfig.json

printf '\n== infra (helm lint/template, kubeconform against offline Kubernetes schemas)\n'
bash infra/validate.sh

printf '\n== learner lint (ruff)\n'
.venv/bin/ruff check --config apps/learner/ruff.toml apps/learner bench/learner

printf '\n== learner (Python: CWRPO loss, learner step, policy server)\n'
.venv/bin/python -m pytest apps/learner/tests -q -p no:cacheprovider

printf '\n== jest\n'
mkdir -p .flowsteer
status=0
npx jest --ci --json --outputFile=.flowsteer/jest-results.json "$@" || status=$?
node -e '
  const r = require(process.argv[1]);
  const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
  console.log(`\njest: ${r.numPassedTests} passed, ${failed} failed, ${r.numPendingTests} skipped`);
' "$ROOT/.flowsteer/jest-results.json" || true
exit $status
