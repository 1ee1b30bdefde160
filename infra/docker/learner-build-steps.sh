#!/usr/bin/env bash
# The build steps of infra/docker/learner.Dockerfile, run as a script in a clean folder, for machines
# without a container builder. It checks what the image build would: the pinned CUDA torch installs
# with all its CUDA libraries (the image's first pip layer), the rest of apps/learner/requirements.txt
# installs on top, the learner imports, and `python -m flowsteer_learner.worker` (the image's CMD)
# polls its task queue when a Temporal server answers at TEMPORAL_ADDRESS (default 127.0.0.1:7233).
# Downloads ~4 GB the first time (pip's cache makes later runs quick); needs no GPU: torch imports
# without one, and the worker starts on the CPU.
#
#   bash infra/docker/learner-build-steps.sh            # keeps nothing; KEEP=1 keeps the folder
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$(mktemp -d /tmp/flowsteer-learner-image-XXXXXX)"
PY="${PYTHON:-python3.11}"
cleanup() { [[ -n "${WORKER_PID:-}" ]] && kill "$WORKER_PID" 2>/dev/null || true; [[ "${KEEP:-0}" == 1 ]] || rm -rf "$WORK"; }
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }

command -v "$PY" >/dev/null || { echo "learner-build-steps: $PY not found (the image is python:3.11; set PYTHON)" >&2; exit 1; }

step "FROM python:3.11-slim-bookworm: a fresh virtual environment ($("$PY" --version))"
"$PY" -m venv "$WORK/venv"
pip=("$WORK/venv/bin/python" -m pip --disable-pip-version-check --quiet)

step "COPY requirements.txt; RUN pip install <the pinned torch> (with all its CUDA libraries), then the rest"
cp "$ROOT/apps/learner/requirements.txt" "$WORK/requirements.txt"
torch_pin="$(grep -E '^torch==' "$WORK/requirements.txt")"
start=$SECONDS
"${pip[@]}" install "$torch_pin"
grep -v -E '^(torch|nvidia-|triton|cuda-)' "$WORK/requirements.txt" > "$WORK/req-rest.txt"
"${pip[@]}" install -r "$WORK/req-rest.txt"
echo "pip: $((SECONDS - start)) s, site-packages $(du -sh "$WORK/venv/lib" | cut -f1)"
"${pip[@]}" check || { echo "pip check found broken requirements (above)" >&2; exit 1; }

step "COPY apps/learner; the learner imports"
mkdir -p "$WORK/app/apps"
git -C "$ROOT" archive HEAD apps/learner | tar -x -C "$WORK/app"
(cd "$WORK/app" && PYTHONPATH="$WORK/app/apps/learner" "$WORK/venv/bin/python" -c '
import torch, peft, temporalio, flowsteer_learner.worker, flowsteer_learner.step
print(f"torch {torch.__version__} (CUDA build {torch.version.cuda}, GPU here: {torch.cuda.is_available()}), peft {peft.__version__}, temporalio {temporalio.__version__}")
')

step "CMD python -m flowsteer_learner.worker"
address="${TEMPORAL_ADDRESS:-127.0.0.1:7233}"
if ! (exec 3<>"/dev/tcp/${address%:*}/${address##*:}") 2>/dev/null; then
  echo "no Temporal server at $address: start skipped (npx flowsteer up, then run this again)"
  exit 0
fi
queue="cwrpo-learner-image-check-$$"
(cd "$WORK/app" && env -i PATH="/usr/bin:/bin" HOME="$WORK" PYTHONPATH="$WORK/app/apps/learner" PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 \
  TEMPORAL_ADDRESS="$address" FLOWSTEER_LEARNER_TASK_QUEUE="$queue" FLOWSTEER_HOME="$WORK/home" \
  "$WORK/venv/bin/python" -m flowsteer_learner.worker > "$WORK/worker.log" 2>&1) &
WORKER_PID=$!
# shellcheck source=await-poller.sh
. "$ROOT/infra/docker/await-poller.sh"
await_poller "$WORKER_PID" "$WORK/worker.log" "learner worker ready" "$queue" activity "$address" "the learner"
