#!/usr/bin/env bash
# Starts the Temporal dev server in the background: loopback only, SQLite under $FLOWSTEER_HOME,
# the FlowSteer search attributes registered, and waits until it is healthy. Idempotent.
set -euo pipefail
source "$(dirname "$0")/env.sh"

bin=$(temporal_bin) || {
  echo "error: the temporal CLI is not installed. Run: bash temporal/install.sh (or npm run setup)" >&2
  exit 2
}

if pid=$(server_pid); then
  if server_healthy; then
    echo "temporal already running (pid $pid) at $TEMPORAL_HOST:$TEMPORAL_PORT, UI http://$TEMPORAL_HOST:$TEMPORAL_UI_PORT"
    exit 0
  fi
  echo "error: a temporal server started from $FLOWSTEER_HOME (pid $pid) is running but not healthy; see $TEMPORAL_LOG or run temporal/stop.sh" >&2
  exit 3
fi

for port in "$TEMPORAL_PORT" "$TEMPORAL_UI_PORT"; do
  if port_in_use "$TEMPORAL_HOST" "$port"; then
    echo "error: port $port on $TEMPORAL_HOST is already in use by another process." >&2
    echo "       Stop that process, or choose other ports with FLOWSTEER_TEMPORAL_PORT / FLOWSTEER_TEMPORAL_UI_PORT." >&2
    exit 4
  fi
done

mkdir -p "$(dirname "$TEMPORAL_DB")" "$(dirname "$TEMPORAL_LOG")" "$(dirname "$TEMPORAL_PID_FILE")"
args=(server start-dev --ip "$TEMPORAL_HOST" --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT"
  --db-filename "$TEMPORAL_DB" --log-level warn --ui-disable-news-fetch)
[ "$TEMPORAL_NAMESPACE" != default ] && args+=(--namespace "$TEMPORAL_NAMESPACE")
# SQLite in WAL mode with synchronous=NORMAL: one fsync per checkpoint instead of per commit. A killed
# server (SIGKILL, OOM) loses no committed write, because the WAL is in the OS page cache; only an OS crash
# or power loss can drop the last transactions. FLOWSTEER_SQLITE_PRAGMAS="" restores SQLite's defaults.
IFS=',' read -ra pragmas <<< "${FLOWSTEER_SQLITE_PRAGMAS-journal_mode=wal,synchronous=normal}"
for pragma in "${pragmas[@]}"; do
  [ -n "$pragma" ] && args+=(--sqlite-pragma "$pragma")
done
# Extra server dynamic config, e.g. FLOWSTEER_TEMPORAL_DYNAMIC_CONFIG="system.enableActivityEagerExecution=true"
IFS=',' read -ra dynamic <<< "${FLOWSTEER_TEMPORAL_DYNAMIC_CONFIG-}"
for value in "${dynamic[@]}"; do
  [ -n "$value" ] && args+=(--dynamic-config-value "$value")
done
while IFS= read -r pair; do
  [ -n "$pair" ] && args+=(--search-attribute "$pair")
done < "$(dirname "$0")/search-attributes.txt"

# setsid: the server outlives this script and the shell that ran it; its pid is our handle.
setsid "$bin" "${args[@]}" >>"$TEMPORAL_LOG" 2>&1 < /dev/null &
echo $! > "$TEMPORAL_PID_FILE"
pid=$(cat "$TEMPORAL_PID_FILE")

deadline=$((SECONDS + TEMPORAL_START_TIMEOUT))
until server_healthy; do
  if ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$TEMPORAL_PID_FILE"
    echo "error: the temporal server exited during start-up; last lines of $TEMPORAL_LOG:" >&2
    tail -n 20 "$TEMPORAL_LOG" >&2
    exit 5
  fi
  if [ $SECONDS -ge $deadline ]; then
    echo "error: the temporal server did not become healthy within ${TEMPORAL_START_TIMEOUT}s (pid $pid); see $TEMPORAL_LOG" >&2
    echo "       raise FLOWSTEER_TEMPORAL_START_TIMEOUT or stop it with temporal/stop.sh" >&2
    exit 6
  fi
  sleep 0.5
done
echo "temporal running (pid $pid) at $TEMPORAL_HOST:$TEMPORAL_PORT, namespace $TEMPORAL_NAMESPACE"
echo "Temporal UI: http://$TEMPORAL_HOST:$TEMPORAL_UI_PORT"
echo "data: $TEMPORAL_DB  log: $TEMPORAL_LOG"
