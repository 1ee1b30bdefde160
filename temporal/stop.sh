#!/usr/bin/env bash
# Stops the dev server started by start.sh (by its pid file). Idempotent.
set -euo pipefail
source "$(dirname "$0")/env.sh"

if ! pid=$(server_pid); then
  rm -f "$TEMPORAL_PID_FILE"
  echo "temporal is not running (no live pid in $TEMPORAL_PID_FILE)"
  exit 0
fi
kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 1 40); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.25
done
if kill -0 "$pid" 2>/dev/null; then
  echo "temporal (pid $pid) ignored SIGTERM for 10s; sending SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
fi
rm -f "$TEMPORAL_PID_FILE"
echo "temporal stopped (pid $pid)"
