#!/usr/bin/env bash
# Validates everything under infra/ offline, with tools installed idempotently into .flowsteer-tools/:
#
#   helm       go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION          (Go module proxy)
#   kubeconform go install github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION
#   schemas    the Kubernetes JSON schemas shipped in the PyPI package kubernetes-validate,
#              rewritten into kubeconform's standalone layout (infra/tools/k8s-schemas.py)
#
# Checks: helm lint (default and production values, --strict), helm template with both, every
# rendered manifest and the plain manifests under infra/temporal/ against the Kubernetes $K8S_VERSION
# schemas with kubeconform -strict (ServiceMonitor against infra/schemas/), the chart's guards (a
# literal apiKey, an unmapped apiKeyEnv), the search-attribute list and registration script copies,
# the Temporal chart values (infra/tools/check-temporal-values.py), the rendered backends config
# with the real loader of libs/llm (when node_modules is there) and bash -n on the scripts.
# Prints what it checked; exits non-zero on any failure.
#
#   bash infra/validate.sh            # FLOWSTEER_TOOLS=<dir> to move the tool cache
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
INFRA="$ROOT/infra"
TOOLS="${FLOWSTEER_TOOLS:-$ROOT/.flowsteer-tools}"
HELM_VERSION=v3.19.0
KUBECONFORM_VERSION=v0.7.0
KUBERNETES_VALIDATE_VERSION=1.37.0
K8S_VERSION="${FLOWSTEER_K8S_VERSION:-1.31.0}"
BIN="$TOOLS/bin"
PYVENV="$TOOLS/pyvenv"
SCHEMAS="$TOOLS/k8s-schemas/kubernetes-validate-$KUBERNETES_VALIDATE_VERSION"
OUT=$(mktemp -d "${TMPDIR:-/tmp}/flowsteer-infra-validate.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

failures=0
checks=0
start=$SECONDS
say() { printf '[infra] %s\n' "$*"; }
ok() { checks=$((checks + 1)); say "ok   $*"; }
bad() { checks=$((checks + 1)); failures=$((failures + 1)); say "FAIL $*"; }

# ---------------------------------------------------------------- tools (cached)
mkdir -p "$BIN"
go_tool() { # name module version
  local name=$1 module=$2 version=$3 stamp="$BIN/.$1.version"
  if [ -x "$BIN/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then return 0; fi
  command -v go >/dev/null 2>&1 || { say "error: Go is needed to build $name (apt-get install golang, or put $name $version in $BIN)"; return 1; }
  local t=$SECONDS
  say "building $name $version from the Go module proxy (first run only) ..."
  GOBIN="$BIN" GOFLAGS=-mod=mod go install "$module@$version" >"$OUT/$name-build.log" 2>&1 || { cat "$OUT/$name-build.log"; return 1; }
  echo "$version" >"$stamp"
  say "built $name in $((SECONDS - t))s"
}
go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION" || { say "cannot install helm"; exit 2; }
go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION" || { say "cannot install kubeconform"; exit 2; }
HELM="$BIN/helm"
KUBECONFORM="$BIN/kubeconform"

if [ "$("$PYVENV/bin/python" -c 'import importlib.metadata as m; print(m.version("kubernetes-validate"))' 2>/dev/null)" != "$KUBERNETES_VALIDATE_VERSION" ]; then
  t=$SECONDS
  say "installing kubernetes-validate==$KUBERNETES_VALIDATE_VERSION (Kubernetes JSON schemas, PyPI) ..."
  python3 -m venv "$PYVENV" && "$PYVENV/bin/pip" install -q --disable-pip-version-check "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" \
    || { say "cannot install kubernetes-validate"; exit 2; }
  say "installed in $((SECONDS - t))s"
fi
if [ ! -d "$SCHEMAS/v$K8S_VERSION-strict" ]; then
  src=$("$PYVENV/bin/python" -c 'import kubernetes_validate, os; print(os.path.join(os.path.dirname(kubernetes_validate.__file__), "kubernetes-json-schema"))')
  [ -d "$src/v$K8S_VERSION-local-strict" ] || { say "kubernetes-validate $KUBERNETES_VALIDATE_VERSION has no schemas for $K8S_VERSION"; exit 2; }
  mkdir -p "$SCHEMAS"
  "$PYVENV/bin/python" "$INFRA/tools/k8s-schemas.py" "$src/v$K8S_VERSION-local-strict" "$SCHEMAS/v$K8S_VERSION-strict" | sed 's/^/[infra] /'
fi
say "tools: $("$HELM" version --short 2>/dev/null), kubeconform $("$KUBECONFORM" -v 2>/dev/null), Kubernetes $K8S_VERSION schemas from kubernetes-validate $KUBERNETES_VALIDATE_VERSION"

kubeconform() { # files...
  "$KUBECONFORM" -strict -summary -kubernetes-version "$K8S_VERSION" \
    -schema-location "$SCHEMAS/{{ .NormalizedKubernetesVersion }}{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    -schema-location "$INFRA/schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    "$@"
}

# The validators must bite: a typo in a Deployment and in a ServiceMonitor is an error.
cat >"$OUT/typo.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: { name: typo }
spec:
  selector: { matchLabels: { a: b } }
  template:
    metadata: { labels: { a: b } }
    spec:
      containers: [{ name: c, image: i, resource: {} }]
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: { name: typo }
spec:
  selector: { matchLabels: { a: b } }
  endpoints: [{ port: metrics, intervall: 30s }]
YAML
r=$(kubeconform "$OUT/typo.yaml" 2>&1)
if printf '%s' "$r" | grep -q "Invalid: 2"; then ok "kubeconform rejects unknown fields (Deployment and ServiceMonitor self-test)"; else bad "kubeconform self-test: typos were not caught"; printf '%s\n' "$r"; fi

# ---------------------------------------------------------------- single sources
if cmp -s "$ROOT/temporal/search-attributes.txt" "$INFRA/helm/flowsteer/files/search-attributes.txt"; then
  ok "chart search attributes = temporal/search-attributes.txt ($(grep -c . "$ROOT/temporal/search-attributes.txt") attributes)"
else
  bad "infra/helm/flowsteer/files/search-attributes.txt differs from temporal/search-attributes.txt: cp temporal/search-attributes.txt infra/helm/flowsteer/files/"
fi
if [[ -L "$INFRA/temporal/register.sh" && "$(readlink -f "$INFRA/temporal/register.sh")" == "$(readlink -f "$INFRA/helm/flowsteer/files/register.sh")" ]]; then
  ok "infra/temporal/register.sh is a link to the chart's bootstrap script (one file)"
else
  bad "infra/temporal/register.sh must be a link to ../helm/flowsteer/files/register.sh (the chart can read only its own files)"
fi
for s in "$INFRA/temporal/register.sh" "$INFRA/validate.sh"; do
  if bash -n "$s"; then ok "bash -n ${s#"$ROOT"/}"; else bad "bash -n ${s#"$ROOT"/}"; fi
done
if "$PYVENV/bin/python" -c 'import json,sys; json.load(open(sys.argv[1]))' "$INFRA/seccomp/flowsteer-sandbox.json"; then
  ok "seccomp profile is JSON"
else
  bad "infra/seccomp/flowsteer-sandbox.json is not JSON"
fi

# ---------------------------------------------------------------- Temporal cluster
if r=$("$PYVENV/bin/python" "$INFRA/tools/check-temporal-values.py" "$INFRA/temporal/values.postgresql.yaml" "$INFRA/temporal/schema-job.yaml" 2>&1); then
  ok "$r"
else
  bad "$r"
fi
if r=$(kubeconform "$INFRA/temporal/schema-job.yaml" 2>&1); then ok "kubeconform infra/temporal/schema-job.yaml: ${r##*$'\n'}"; else bad "kubeconform infra/temporal/schema-job.yaml"; printf '%s\n' "$r"; fi

# ---------------------------------------------------------------- our chart
CHART="$INFRA/helm/flowsteer"
for variant in default production; do
  args=()
  [ "$variant" = production ] && args=(-f "$INFRA/helm/values.production.yaml")
  if r=$("$HELM" lint --strict "$CHART" --kube-version "$K8S_VERSION" "${args[@]}" 2>&1); then
    ok "helm lint --strict ($variant values)"
  else
    bad "helm lint --strict ($variant values)"; printf '%s\n' "$r"
  fi
  if "$HELM" template flowsteer "$CHART" --namespace flowsteer --kube-version "$K8S_VERSION" "${args[@]}" >"$OUT/$variant.yaml" 2>"$OUT/$variant.err"; then
    kinds=$(grep -h '^kind:' "$OUT/$variant.yaml" | awk '{print $2}' | sort | uniq -c | awk '{printf "%s %s, ", $1, $2}')
    ok "helm template ($variant values): ${kinds%, }"
    if r=$(kubeconform "$OUT/$variant.yaml" 2>&1); then
      ok "kubeconform -strict ($variant): ${r##*$'\n'}"
    else
      bad "kubeconform -strict ($variant)"; printf '%s\n' "$r"
    fi
  else
    bad "helm template ($variant values)"; cat "$OUT/$variant.err"
  fi
done

# All optional parts off, all on: the chart must render and validate either way.
if "$HELM" template flowsteer "$CHART" --kube-version "$K8S_VERSION" --set api.enabled=false,canvasWorker.enabled=false,sandboxWorker.enabled=false,learner.enabled=false,vllm.enabled=false,temporal.bootstrap.enabled=false >"$OUT/minimal.yaml" 2>"$OUT/minimal.err" \
  && r=$(kubeconform "$OUT/minimal.yaml" 2>&1); then
  ok "every component disabled renders and validates: ${r##*$'\n'}"
else
  bad "every component disabled"; cat "$OUT/minimal.err"; printf '%s\n' "${r:-}"
fi
if "$HELM" template flowsteer "$CHART" --kube-version "$K8S_VERSION" --set canvasWorker.autoscaling.enabled=true,metrics.serviceMonitor.enabled=true,temporal.tls.enabled=true,temporal.tls.secretName=tls,sandboxWorker.hostUsers=true >"$OUT/all.yaml" 2>"$OUT/all.err" \
  && r=$(kubeconform "$OUT/all.yaml" 2>&1); then
  ok "worker HPA + ServiceMonitor + Temporal mTLS render and validate: ${r##*$'\n'}"
else
  bad "worker HPA + ServiceMonitor + mTLS"; cat "$OUT/all.err"; printf '%s\n' "${r:-}"
fi

# Guards: these must FAIL to render, with a message that says what to do.
expect_fail() { # description pattern helm-args...
  local what=$1 pattern=$2; shift 2
  if "$HELM" template flowsteer "$CHART" --kube-version "$K8S_VERSION" "$@" >/dev/null 2>"$OUT/guard.err"; then
    bad "guard: $what rendered but must be refused"
  elif grep -q "$pattern" "$OUT/guard.err"; then
    ok "guard: $what is refused ($(grep -o "$pattern[^\"]*" "$OUT/guard.err" | head -n1 | cut -c1-90)...)"
  else
    bad "guard: $what failed without the expected message"; cat "$OUT/guard.err"
  fi
}
expect_fail "a literal apiKey in backends" "keys are never written into values" --set backends.backends.director.apiKey=sk-test
expect_fail "an apiKeyEnv without a Secret mapping" "has no entry in backendKeys.env" --set backends.backends.director.apiKeyEnv=OTHER_KEY
expect_fail "an unknown versioning behaviour" "must be PINNED or AUTO_UPGRADE" --set worker.versioning.defaultBehavior=Pinned
expect_fail "Temporal mTLS without a Secret" "temporal.tls.secretName is required" --set temporal.tls.enabled=true

# The chart's search attributes and the security settings that matter, read from the render.
"$PYVENV/bin/python" - "$OUT/default.yaml" "$OUT/production.yaml" "$ROOT/temporal/search-attributes.txt" >"$OUT/checks.txt" 2>&1 <<'PY'
import sys, yaml
errors = []
attrs = [l.strip() for l in open(sys.argv[3]) if l.strip()]
for path in sys.argv[1:3]:
    docs = [d for d in yaml.safe_load_all(open(path)) if d]
    by = {(d["kind"], d["metadata"]["name"]): d for d in docs}
    name = path.rsplit("/", 1)[1]
    def dep(suffix):
        return next(d for (k, n), d in by.items() if k == "Deployment" and n.endswith(suffix))
    cm = next(d for (k, n), d in by.items() if k == "ConfigMap" and n.endswith("temporal-bootstrap"))
    got = [l for l in cm["data"]["search-attributes.txt"].splitlines() if l.strip()]
    if got != attrs: errors.append(f"{name}: bootstrap search attributes {got} != {attrs}")
    sb = dep("sandbox-worker")["spec"]["template"]["spec"]
    c = sb["containers"][0]
    if sb.get("automountServiceAccountToken") is not False: errors.append(f"{name}: sandbox pod mounts a service account token")
    if any(e.get("valueFrom", {}).get("secretKeyRef") for e in c.get("env", [])): errors.append(f"{name}: sandbox pod gets a Secret")
    if c["securityContext"].get("allowPrivilegeEscalation") is not False or c["securityContext"]["capabilities"]["drop"] != ["ALL"]:
        errors.append(f"{name}: sandbox container may escalate or keeps capabilities")
    if "limits" not in c["resources"] or "cpu" not in c["resources"]["limits"]: errors.append(f"{name}: sandbox has no CPU limit")
    env = {e["name"]: e.get("value") for e in c.get("env", [])}
    if env.get("FLOWSTEER_WORKER_ROLES") != "sandbox": errors.append(f"{name}: the sandbox pool does not run the sandbox role only")
    if any(k.endswith("_API_KEY") for k in env): errors.append(f"{name}: sandbox pod gets a backend key variable")
    for m in c.get("volumeMounts", []):
        if m["name"] == "artifacts" and m.get("readOnly") is not True: errors.append(f"{name}: sandbox pod may write the artifacts volume")
    cv = dep("canvas-worker")["spec"]["template"]["spec"]["containers"][0]
    if {e["name"]: e.get("value") for e in cv.get("env", [])}.get("FLOWSTEER_WORKER_ROLES") != "canvas": errors.append(f"{name}: the canvas pool does not run the canvas role only")
    np = [d for (k, n), d in by.items() if k == "NetworkPolicy" and n.endswith("sandbox-worker")]
    if not np or "Egress" not in np[0]["spec"]["policyTypes"]: errors.append(f"{name}: no egress NetworkPolicy on the sandbox")
    for suffix in ("learner", "vllm"):
        r = dep(suffix)["spec"]["template"]["spec"]["containers"][0]["resources"]
        if "nvidia.com/gpu" not in r.get("limits", {}): errors.append(f"{name}: {suffix} has no nvidia.com/gpu limit")
    v = dep("vllm")["spec"]["template"]["spec"]["containers"][0]
    if "--enable-lora" not in v["args"]: errors.append(f"{name}: vLLM without --enable-lora")
    if not any(e["name"] == "VLLM_ALLOW_RUNTIME_LORA_UPDATING" and e.get("value") == "True" for e in v["env"]): errors.append(f"{name}: vLLM without runtime LoRA updating")
    cw = dep("canvas-worker")["spec"]["template"]["spec"]["containers"][0]
    envs = {e["name"] for e in cw["env"]}
    for need in ("TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "FLOWSTEER_BACKENDS", "FLOWSTEER_WORKER_BUILD_ID"):
        if need not in envs: errors.append(f"{name}: canvas worker lacks {need}")
    if any("value" in e and ("sk-" in str(e["value"])) for e in cw["env"]): errors.append(f"{name}: something key-shaped in plain env")
    print(f"{name}: {len(docs)} objects; sandbox locked down; GPUs on learner+vLLM; runtime LoRA on; {len(attrs)} search attributes in the bootstrap Job")
if errors:
    print("\n".join(errors)); sys.exit(1)
PY
if [ $? -eq 0 ]; then while read -r l; do ok "render: $l"; done <"$OUT/checks.txt"; else bad "render checks"; cat "$OUT/checks.txt"; fi

# Every FLOWSTEER_*/TEMPORAL_* variable the chart gives our containers is read by our code (or, in
# the bootstrap Job, by register.sh / the Temporal CLI): a setting nobody reads is a silent no-op.
"$PYVENV/bin/python" - "$OUT/production.yaml" "$OUT/all.yaml" "$ROOT" >"$OUT/env-read.txt" 2>&1 <<'PY'
import pathlib, re, sys, yaml
root = pathlib.Path(sys.argv[3])
sources = [p for d in ("apps", "libs") for p in (root / d).rglob("*") if p.suffix in (".ts", ".py")
           and "node_modules" not in p.parts and not p.name.endswith(".test.ts") and not p.name.startswith("test_")]
text = "\n".join(p.read_text(errors="ignore") for p in sources)
cli_read = {"TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_TLS_CERT", "TEMPORAL_TLS_KEY", "TEMPORAL_TLS_CA"}
bootstrap = (root / "infra/temporal/register.sh").read_text()
unread, seen = [], set()
for path in sys.argv[1:3]:
    for d in yaml.safe_load_all(open(path)):
        if not d or d["kind"] not in ("Deployment", "Job"): continue
        pod = d["spec"]["template"]["spec"]
        for c in pod.get("initContainers", []) + pod["containers"]:
            for e in c.get("env", []):
                n = e["name"]
                if not re.match(r"^(FLOWSTEER|TEMPORAL)_", n) or n in seen: continue
                seen.add(n)
                if d["kind"] == "Job" and (n in cli_read or n in bootstrap): continue
                if not re.search(r"\b" + n + r"\b", text): unread.append(f"{n} ({d['metadata']['name']})")
if unread: print("set by the chart but read by no source file: " + ", ".join(unread)); sys.exit(1)
print(f"{len(seen)} FLOWSTEER_*/TEMPORAL_* variables, each read by apps/ or libs/ code")
PY
if [ $? -eq 0 ]; then ok "chart env: $(cat "$OUT/env-read.txt")"; else bad "chart env"; cat "$OUT/env-read.txt"; fi

# The rendered backends config, loaded by the real registry loader of libs/llm.
if [ -x "$ROOT/node_modules/.bin/tsx" ] && [ -f "$ROOT/libs/llm/src/index.ts" ]; then
  for variant in default production; do
    "$PYVENV/bin/python" -c '
import sys, yaml
for d in yaml.safe_load_all(open(sys.argv[1])):
    if d and d["kind"] == "ConfigMap" and d["metadata"]["name"].endswith("-backends"):
        open(sys.argv[2], "w").write(d["data"]["backends.yaml"])' "$OUT/$variant.yaml" "$OUT/backends-$variant.yaml"
    if r=$(cd "$ROOT" && VLLM_BASE_URL=http://vllm:8000/v1 node_modules/.bin/tsx -e '
      import { loadBackendRegistry } from "./libs/llm/src";
      const reg = loadBackendRegistry({ path: process.argv[1], env: { VLLM_BASE_URL: "http://vllm:8000/v1" } });
      console.log(`${reg.names().length} backends (${reg.names().join(", ")}), director=${reg.defaults.director}, executor=${reg.defaults.executor}`);
    ' "$OUT/backends-$variant.yaml" 2>&1); then
      ok "libs/llm loads the rendered backends config ($variant): ${r##*$'\n'}"
    else
      bad "libs/llm rejects the rendered backends config ($variant)"; printf '%s\n' "$r"
    fi
  done
else
  say "skip the libs/llm backends check (no node_modules; run npm install first)"
fi

say "$checks checks, $failures failed, in $((SECONDS - start))s"
[ "$failures" -eq 0 ]
