#!/usr/bin/env bash
# The main job on the embedded defaults: set everything up, start Temporal and a worker in the
# background, run the job, and print where to look. Stop everything with `npx flowsteer down`.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
npx flowsteer up
npx flowsteer health --message "FlowSteer is up"
echo
echo "Everything keeps running in the background; stop it with: npx flowsteer down"
