#!/usr/bin/env bash
# The main job on the embedded defaults: set everything up, start Temporal and a worker in the
# background, run the job, and print where to look. Stop everything with `npx flowsteer down`.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
npx flowsteer up
npx flowsteer health --message "FlowSteer is up"
# The main job: durable canvas sessions on GSM8K items, director and executor both the embedded
# SmolLM2-135M model on CPU (a few minutes per session on 2 cores). Override with FLOWSTEER_MAIN_ARGS.
npx flowsteer solve ${FLOWSTEER_MAIN_ARGS:---dataset gsm8k --limit 2 --max-turns 6}
echo
echo "Everything keeps running in the background; stop it with: npx flowsteer down"
