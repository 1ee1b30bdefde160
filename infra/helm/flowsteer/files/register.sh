#!/usr/bin/env bash
# Creates the FlowSteer namespace and registers every search attribute listed in
# temporal/search-attributes.txt (NAME=Type per line; the single source, checked against
# libs/contracts by temporal/search-attributes.test.ts). Idempotent: an existing namespace is kept,
# an attribute already registered with the same type is skipped, one registered with another type
# is an error (Temporal cannot change an attribute's type).
#
#   TEMPORAL_ADDRESS=temporal-frontend.temporal:7233 bash infra/temporal/register.sh [namespace] [retention]
#
# Environment: TEMPORAL_ADDRESS (default 127.0.0.1:7233), TEMPORAL_NAMESPACE (default flowsteer),
# FLOWSTEER_NAMESPACE_RETENTION (default 720h = 30 days), FLOWSTEER_SEARCH_ATTRIBUTES (the list file),
# TEMPORAL_BIN (default: `temporal` on PATH), plus the CLI's own TEMPORAL_TLS_* variables for mTLS.
# The Helm chart runs this very script in its bootstrap Job (a copy under
# infra/helm/flowsteer/files/, kept identical by infra/validate.sh).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
ns="${1:-${TEMPORAL_NAMESPACE:-flowsteer}}"
retention="${2:-${FLOWSTEER_NAMESPACE_RETENTION:-720h}}"
address="${TEMPORAL_ADDRESS:-127.0.0.1:7233}"
list="${FLOWSTEER_SEARCH_ATTRIBUTES:-}"
if [ -z "$list" ]; then
  for candidate in "$here/search-attributes.txt" "$here/../../temporal/search-attributes.txt"; do
    if [ -f "$candidate" ]; then list="$candidate"; break; fi
  done
fi
[ -n "$list" ] && [ -f "$list" ] || { echo "error: search-attributes.txt not found; set FLOWSTEER_SEARCH_ATTRIBUTES" >&2; exit 2; }
bin="${TEMPORAL_BIN:-temporal}"
command -v "$bin" >/dev/null 2>&1 || { echo "error: temporal CLI '$bin' not found; set TEMPORAL_BIN" >&2; exit 2; }
t() { "$bin" --address "$address" "$@"; }

deadline=$((SECONDS + ${FLOWSTEER_REGISTER_WAIT:-300}))
until t operator cluster health >/dev/null 2>&1; do
  if [ $SECONDS -ge $deadline ]; then echo "error: Temporal at $address is not healthy; is the frontend up?" >&2; exit 3; fi
  echo "waiting for Temporal at $address ..."; sleep 5
done

if t operator namespace describe --namespace "$ns" >/dev/null 2>&1; then
  echo "namespace $ns exists"
else
  t operator namespace create --namespace "$ns" --retention "$retention" \
    --description "FlowSteer sessions, evaluation and training runs"
  echo "namespace $ns created (retention $retention)"
  # A new namespace takes a moment to reach every frontend (namespace cache refresh).
  until t operator namespace describe --namespace "$ns" >/dev/null 2>&1; do sleep 2; done
fi

# `namespace describe` reads the database; the search-attribute calls go through each service's
# namespace cache, which a real server refreshes every ~10 s: right after the create they answer
# "Namespace ... is not found" (seen on Temporal 1.28.1 on PostgreSQL, infra/local-cluster). Wait.
deadline=$((SECONDS + ${FLOWSTEER_REGISTER_WAIT:-300}))
until existing=$(t operator search-attribute list --namespace "$ns" 2>&1); do
  if [ $SECONDS -ge $deadline ]; then echo "error: cannot list the search attributes of $ns: $existing" >&2; exit 3; fi
  sleep 2
done
while IFS='=' read -r name type; do
  name="${name//[[:space:]]/}"; type="${type//[[:space:]]/}"
  [ -z "$name" ] && continue
  case "$name" in \#*) continue ;; esac
  row=$(printf '%s\n' "$existing" | awk -v n="$name" '$1 == n {print $2}')
  if [ -n "$row" ]; then
    if [ "${row,,}" = "${type,,}" ]; then echo "search attribute $name ($type) present"; continue; fi
    echo "error: search attribute $name is registered as $row, the list says $type" >&2; exit 4
  fi
  tries=0
  until out=$(t operator search-attribute create --namespace "$ns" --name "$name" --type "$type" 2>&1); do
    tries=$((tries + 1))
    if [ $tries -ge 10 ]; then echo "error: creating search attribute $name failed: $out" >&2; exit 4; fi
    sleep 3
  done
  echo "search attribute $name ($type) created"
done < "$list"
echo "namespace $ns ready at $address"
