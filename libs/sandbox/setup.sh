#!/usr/bin/env bash
# Installs what the code sandbox needs from Debian packages. Idempotent: apt is skipped when
# everything is already present. Works non-interactively as root; without root or without apt it
# prints what is missing and carries on (the sandbox then probes what it can use at start-up).
#
#   bubblewrap                      preferred isolation mechanism (bwrap)
#   python3 + DS-1000 libraries     numpy pandas scipy sklearn matplotlib (Debian's /usr/bin/python3)
#   python3-sympy                   the CAS of the `symbolic` metric (MATH, AIME, MathQA; libs/bench)
#   FLOWSTEER_SANDBOX_TORCH=1       also python3-torch (DS-1000's 68 PyTorch items; large download)
#
# TensorFlow has no Debian package, so DS-1000's 45 TensorFlow items cannot run here.
set -uo pipefail

say() { printf '[sandbox setup] %s\n' "$*"; }

# Debian package -> how to check it is present
declare -A CHECKS=(
  [bubblewrap]="command -v bwrap"
  [python3]="test -x /usr/bin/python3"
  [python3-numpy]="/usr/bin/python3 -c 'import numpy'"
  [python3-pandas]="/usr/bin/python3 -c 'import pandas'"
  [python3-scipy]="/usr/bin/python3 -c 'import scipy'"
  [python3-sklearn]="/usr/bin/python3 -c 'import sklearn'"
  [python3-matplotlib]="/usr/bin/python3 -c 'import matplotlib'"
  [python3-sympy]="/usr/bin/python3 -c 'import sympy'"
)
ORDER=(bubblewrap python3 python3-numpy python3-pandas python3-scipy python3-sklearn python3-matplotlib python3-sympy)
if [ "${FLOWSTEER_SANDBOX_TORCH:-0}" = "1" ]; then
  CHECKS[python3-torch]="/usr/bin/python3 -c 'import torch'"
  ORDER+=(python3-torch)
fi

missing=()
for pkg in "${ORDER[@]}"; do
  if ! bash -c "${CHECKS[$pkg]}" >/dev/null 2>&1; then missing+=("$pkg"); fi
done

if [ ${#missing[@]} -eq 0 ]; then
  say "everything present (${ORDER[*]}); apt skipped"
else
  say "missing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    say "WARNING: not root and no sudo: install them yourself: apt-get install --no-install-recommends ${missing[*]}"
  elif ! command -v apt-get >/dev/null 2>&1; then
    say "WARNING: apt-get is not available: install the equivalents of: ${missing[*]}"
  else
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo -n"
    export DEBIAN_FRONTEND=noninteractive
    # Refresh the package lists only when installing fails without a refresh.
    if ! $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"; then
      say "installing failed; refreshing package lists and trying again"
      $SUDO apt-get update -q || say "WARNING: apt-get update failed"
      $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" \
        || say "WARNING: apt-get install failed: still missing some of: ${missing[*]}"
    fi
  fi
fi

# Report what the sandbox will find.
for pkg in "${ORDER[@]}"; do
  if bash -c "${CHECKS[$pkg]}" >/dev/null 2>&1; then say "ok      $pkg"; else say "MISSING $pkg"; fi
done
if command -v bwrap >/dev/null 2>&1; then
  if bwrap --unshare-all --die-with-parent --ro-bind / / true >/dev/null 2>&1; then
    say "bubblewrap works here"
  else
    say "WARNING: bwrap is installed but cannot create namespaces here (the sandbox falls back to unshare or refuses)"
  fi
fi
exit 0
