#!/usr/bin/env bash
# Says whether the dev server runs, where, and whether it is healthy. Exit 0 only when healthy.
set -uo pipefail
source "$(dirname "$0")/env.sh"

if ! bin=$(temporal_bin); then
  echo "temporal: not installed (run bash temporal/install.sh)"
  exit 2
fi
if pid=$(server_pid); then
  if server_healthy; then
    echo "temporal: running (pid $pid) at $TEMPORAL_HOST:$TEMPORAL_PORT, UI http://$TEMPORAL_HOST:$TEMPORAL_UI_PORT, db $TEMPORAL_DB"
    exit 0
  fi
  echo "temporal: process $pid alive but not healthy at $TEMPORAL_HOST:$TEMPORAL_PORT (log $TEMPORAL_LOG)"
  exit 1
fi
echo "temporal: stopped (binary $bin)"
exit 3
