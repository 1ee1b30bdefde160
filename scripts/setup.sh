#!/usr/bin/env bash
# Installs everything the project needs, from the package registries only. Idempotent and quick
# when nothing changed: node_modules is reinstalled only when package-lock.json changed.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
step() { printf '\n== %s\n' "$*"; }

step "node packages (optional native extras omitted: see .npmrc)"
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f node_modules/.flowsteer-lock-hash ] && [ "$(cat node_modules/.flowsteer-lock-hash)" = "$lock_hash" ]; then
  echo "node_modules up to date"
else
  # npm ci: exactly the lock. node-llama-cpp names platform packages that were never published at its
  # version; package.json's "overrides" pins them to the last published one so the lock can list them.
  npm ci --no-audit --no-fund
  echo "$lock_hash" > node_modules/.flowsteer-lock-hash
fi

step "Temporal CLI (dev server)"
bash temporal/install.sh

for extra in libs/llm/setup/fetch-model.sh libs/sandbox/setup.sh apps/learner/setup.sh scripts/install-chromium.sh; do
  if [ -f "$extra" ]; then
    step "$extra"
    bash "$extra"
  fi
done

step "setup complete"
