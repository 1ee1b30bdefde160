#!/usr/bin/env bash
# The build steps of infra/docker/node.Dockerfile, run as a script in a clean folder, for machines
# without a container builder (or without access to the base image's registry). It checks what the
# image build would: the lock file installs with `npm ci --omit=optional` from package files alone,
# the sources copied without what .dockerignore leaves out type-check, the workflow bundle builds,
# and the worker starts from that folder with NODE_ENV=production and the pre-built bundle and
# polls a task queue (when a Temporal server answers at TEMPORAL_ADDRESS, default 127.0.0.1:7233).
# The apt packages of the image's first layer are checked on this machine, not installed.
#
#   bash infra/docker/build-steps.sh            # keeps nothing; KEEP=1 keeps the folder
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$(mktemp -d /tmp/flowsteer-image-XXXXXX)"
APP="$WORK/app"
cleanup() { [[ -n "${WORKER_PID:-}" ]] && kill "$WORKER_PID" 2>/dev/null || true; [[ "${KEEP:-0}" == 1 ]] || rm -rf "$WORK"; }
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }

step "apt layer: the Debian packages the image installs (checked here, not installed)"
missing=()
for pkg in bubblewrap python3 python3-numpy python3-pandas python3-scipy python3-sklearn python3-matplotlib util-linux ca-certificates; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
echo "${missing[*]:-all present}"

step "context: a clean export of HEAD, less what .dockerignore excludes"
mkdir -p "$WORK/context" "$APP"
git -C "$ROOT" archive HEAD | tar -x -C "$WORK/context"
while IFS= read -r pattern; do
  [[ -z "$pattern" || "$pattern" == \#* ]] && continue
  (cd "$WORK/context" && find . -path "./${pattern#\*\*/}" -prune -exec rm -rf {} + 2>/dev/null || true)
done < "$ROOT/.dockerignore"

step "COPY package files; RUN npm ci --omit=optional"
cp "$WORK/context/package.json" "$WORK/context/package-lock.json" "$APP/"
[[ -f "$WORK/context/.npmrc" ]] && cp "$WORK/context/.npmrc" "$APP/"
mkdir -p "$APP/apps/cli" && cp "$WORK/context/apps/cli/package.json" "$APP/apps/cli/package.json"
start=$SECONDS
(cd "$APP" && npm ci --omit=optional --no-audit --no-fund --loglevel=error)
echo "npm ci: $((SECONDS - start)) s, node_modules $(du -sh "$APP/node_modules" | cut -f1)"

step "COPY . .; type check; RUN build-bundle.ts"
cp -a "$WORK/context/." "$APP/"
(cd "$APP" && node_modules/.bin/tsc -p tsconfig.json --noEmit)
(cd "$APP" && node_modules/.bin/tsx apps/worker/src/build-bundle.ts "$APP/dist/workflow-bundle.js")
echo "bundle: $(du -h "$APP/dist/workflow-bundle.js" | cut -f1)"

step "CMD: the worker from the image layout (NODE_ENV=production, pre-built bundle)"
address="${TEMPORAL_ADDRESS:-127.0.0.1:7233}"
if ! (exec 3<>"/dev/tcp/${address%:*}/${address##*:}") 2>/dev/null; then
  echo "no Temporal server at $address: start skipped (npx flowsteer up, then run this again)"
  exit 0
fi
queue="flowsteer-canvas-image-check-$$"
(cd "$APP" && NODE_ENV=production TEMPORAL_ADDRESS="$address" FLOWSTEER_TASK_QUEUE="$queue" FLOWSTEER_WORKER_ROLES=canvas \
  FLOWSTEER_HOME="$WORK/home" FLOWSTEER_WORKFLOW_BUNDLE="$APP/dist/workflow-bundle.js" \
  node_modules/.bin/tsx apps/worker/src/main.ts > "$WORK/worker.log" 2>&1) &
WORKER_PID=$!
# shellcheck source=await-poller.sh
. "$ROOT/infra/docker/await-poller.sh"
await_poller "$WORKER_PID" "$WORK/worker.log" "state: 'RUNNING'" "$queue" workflow "$address" "the worker"
