#!/usr/bin/env bash
# Installs the Python learner's pinned requirements into the project virtualenv (.venv at the repo
# root) and makes `flowsteer_learner` importable from it. Idempotent and quick when nothing changed:
# a stamp file records the hash of requirements.txt.
#
# torch: PyPI's Linux x86_64 wheel is the CUDA build; its libtorch links the CUDA runtime libraries,
# so `import torch` fails without them even on CPU. We install everything with --no-deps from a fully
# pinned list that keeps only the nvidia-* libraries the import links against and leaves out triton
# (1 GB, torch.compile only), cusolver, nvtx, cccl and cuda-bindings. See README.md "Install".
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="${FLOWSTEER_VENV:-$ROOT/.venv}"
REQ="$HERE/requirements.txt"

if [ ! -x "$VENV/bin/python" ]; then
  echo "learner setup: creating $VENV"
  python3 -m venv "$VENV"
fi
PY="$VENV/bin/python"
SITE="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
STAMP="$VENV/.flowsteer-learner.stamp"
HASH="$( (cat "$REQ"; echo "$HERE") | sha256sum | cut -d' ' -f1)"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$HASH" ] \
   && "$PY" -c 'import importlib.util as u, sys; sys.exit(any(u.find_spec(m) is None for m in ("torch", "transformers", "peft", "temporalio", "flowsteer_learner")))' 2>/dev/null; then
  echo "learner setup: up to date ($VENV)"
  exit 0
fi

echo "learner setup: installing $(grep -cv '^\s*#' "$REQ") pinned packages into $VENV (first time: about a minute, ~4 GB)"
start=$(date +%s)
"$PY" -m pip install --quiet --disable-pip-version-check --no-deps -r "$REQ"
# Make the package importable (what an editable install would do, without a build step).
echo "$HERE" > "$SITE/flowsteer_learner.pth"
HF_HUB_OFFLINE=1 "$PY" -c 'import torch, transformers, peft, temporalio, flowsteer_learner; print("learner setup: torch", torch.__version__, "transformers", transformers.__version__, "peft", peft.__version__, "temporalio", temporalio.__version__ if hasattr(temporalio, "__version__") else "")'
echo "$HASH" > "$STAMP"
echo "learner setup: done in $(( $(date +%s) - start ))s"
