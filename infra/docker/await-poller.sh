# Sourced by build-steps.sh and learner-build-steps.sh: waits until the image's CMD, started in the
# background, says it is ready and the Temporal server sees it polling; exits the script with 0 then,
# with 1 (and the end of the log) when it dies or does not get there in 120 s.
#
#   await_poller PID LOG READY-PATTERN QUEUE QUEUE-TYPE ADDRESS WHAT
await_poller() {
  local pid=$1 log=$2 ready=$3 queue=$4 type=$5 address=$6 what=$7
  for _ in $(seq 1 120); do
    if grep -qs -- "$ready" "$log"; then
      grep -m1 -- "$ready" "$log"
      local temporal_cli pollers
      temporal_cli="$(command -v temporal || echo "$ROOT/.venv/bin/temporal")"
      if [[ -x "$temporal_cli" ]]; then
        sleep 2
        pollers="$("$temporal_cli" task-queue describe --task-queue "$queue" --task-queue-type "$type" --address "$address" 2>&1 | grep -c "@" || true)"
        echo "pollers the server sees on $queue: $pollers"
        [[ "$pollers" -ge 1 ]] || { echo "$what runs but the server sees no poller" >&2; exit 1; }
      fi
      echo "$what from the image layout: OK"
      exit 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  echo "$what did not start polling $queue; its log:" >&2
  tail -30 "$log" >&2
  exit 1
}
