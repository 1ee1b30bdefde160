#!/usr/bin/env bash
# Installs Debian's chromium for the Temporal UI end-to-end test (apps/cli/src/ui.e2e.test.ts),
# driven by playwright-core with executablePath=/usr/bin/chromium. Idempotent: does nothing when
# /usr/bin/chromium is already there. Needs root (or sudo) for apt-get.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "error: installing chromium needs root; run as root: apt-get install -y chromium" >&2
    exit 2
  fi
fi

export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends chromium; then
  echo "apt-get install failed; refreshing the package lists and trying again" >&2
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends chromium
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "error: chromium was installed but /usr/bin/chromium is missing" >&2
  exit 3
fi
echo "chromium installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
