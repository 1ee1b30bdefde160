{{- define "flowsteer.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "flowsteer.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "flowsteer.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "flowsteer.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* labels: pass (dict "ctx" $ "component" "api") */}}
{{- define "flowsteer.labels" -}}
app.kubernetes.io/name: {{ include "flowsteer.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: flowsteer
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "flowsteer.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flowsteer.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Pod template labels: the selector labels plus part-of (what the vLLM NetworkPolicy admits). */}}
{{- define "flowsteer.podLabels" -}}
{{ include "flowsteer.selectorLabels" . }}
app.kubernetes.io/part-of: flowsteer
{{- end -}}

{{- define "flowsteer.image" -}}
{{- printf "%s:%s" .repository .tag -}}
{{- end -}}

{{- define "flowsteer.artifactsClaim" -}}
{{- if .Values.artifacts.persistence.existingClaim -}}
{{- .Values.artifacts.persistence.existingClaim -}}
{{- else -}}
{{- printf "%s-artifacts" (include "flowsteer.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "flowsteer.buildId" -}}
{{- default .Values.images.node.tag .Values.worker.versioning.buildId -}}
{{- end -}}

{{- define "flowsteer.vllmBaseURL" -}}
{{- if .Values.vllm.baseURL -}}
{{- .Values.vllm.baseURL -}}
{{- else -}}
{{- printf "http://%s-vllm:%d/v1" (include "flowsteer.fullname" .) (int .Values.vllm.port) -}}
{{- end -}}
{{- end -}}

{{/* Prometheus scrape annotations for a pod exposing SDK metrics on .port */}}
{{- define "flowsteer.scrapeAnnotations" -}}
{{- if .ctx.Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: {{ default "/metrics" .path | quote }}
{{- end }}
{{- end -}}

{{/* Temporal connection env shared by every process that talks to Temporal */}}
{{- define "flowsteer.temporalEnv" -}}
- name: TEMPORAL_ADDRESS
  value: {{ .Values.temporal.address | quote }}
- name: TEMPORAL_NAMESPACE
  value: {{ .Values.temporal.namespace | quote }}
{{- if .Values.temporal.tls.enabled }}
- name: TEMPORAL_TLS_CERT
  value: /etc/flowsteer/temporal-tls/tls.crt
- name: TEMPORAL_TLS_KEY
  value: /etc/flowsteer/temporal-tls/tls.key
- name: TEMPORAL_TLS_CA
  value: /etc/flowsteer/temporal-tls/ca.crt
{{- end }}
{{- end -}}

{{- define "flowsteer.temporalTlsVolume" -}}
{{- if .Values.temporal.tls.enabled }}
- name: temporal-tls
  secret:
    secretName: {{ required "temporal.tls.secretName is required when temporal.tls.enabled" .Values.temporal.tls.secretName }}
{{- end }}
{{- end -}}

{{- define "flowsteer.temporalTlsMount" -}}
{{- if .Values.temporal.tls.enabled }}
- name: temporal-tls
  mountPath: /etc/flowsteer/temporal-tls
  readOnly: true
{{- end }}
{{- end -}}

{{/*
Backend key env: one entry per apiKeyEnv, from the backend-keys Secret. Fails when the backends
config holds a literal key or names a variable that backendKeys.env does not map.
*/}}
{{- define "flowsteer.backendKeyEnv" -}}
{{- $keys := .Values.backendKeys.env | default dict -}}
{{- range $name, $b := (.Values.backends.backends | default dict) -}}
{{- if hasKey $b "apiKey" -}}
{{- fail (printf "backends.backends.%s.apiKey: keys are never written into values; put the key in the Secret %s and name its variable with apiKeyEnv" $name $.Values.backendKeys.secretName) -}}
{{- end -}}
{{- if $b.apiKeyEnv -}}
{{- if not (hasKey $keys $b.apiKeyEnv) -}}
{{- fail (printf "backends.backends.%s.apiKeyEnv=%s has no entry in backendKeys.env (variable name -> key of Secret %s)" $name $b.apiKeyEnv $.Values.backendKeys.secretName) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- range $envName, $secretKey := $keys }}
- name: {{ $envName }}
  valueFrom:
    secretKeyRef:
      name: {{ $.Values.backendKeys.secretName }}
      key: {{ $secretKey }}
{{- end }}
{{- end -}}

{{/* Worker env shared by the canvas and sandbox pools: pass (dict "ctx" $ "role" "canvas") */}}
{{- define "flowsteer.workerEnv" -}}
{{- $v := .ctx.Values -}}
{{- if not (has $v.worker.versioning.defaultBehavior (list "PINNED" "AUTO_UPGRADE")) -}}
{{- fail (printf "worker.versioning.defaultBehavior must be PINNED or AUTO_UPGRADE (the SDK's VersioningBehavior), not %v" $v.worker.versioning.defaultBehavior) -}}
{{- end -}}
{{ include "flowsteer.temporalEnv" .ctx }}
- name: FLOWSTEER_WORKER_ROLES
  value: {{ .role | quote }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: FLOWSTEER_WORKER_IDENTITY
  value: "flowsteer-{{ .role }}@$(POD_NAME)"
- name: FLOWSTEER_WORKFLOW_BUNDLE
  value: /app/dist/workflow-bundle.js
- name: FLOWSTEER_HOME
  value: /tmp/flowsteer
- name: HOME
  value: /tmp
- name: FLOWSTEER_ARTIFACTS
  value: {{ $v.artifacts.mountPath | quote }}
- name: FLOWSTEER_WORKER_VERSIONING
  value: {{ $v.worker.versioning.enabled | quote }}
- name: FLOWSTEER_WORKER_DEPLOYMENT_NAME
  value: {{ $v.worker.versioning.deploymentName | quote }}
- name: FLOWSTEER_WORKER_BUILD_ID
  value: {{ include "flowsteer.buildId" .ctx | quote }}
- name: FLOWSTEER_WORKER_DEFAULT_VERSIONING_BEHAVIOR
  value: {{ $v.worker.versioning.defaultBehavior | quote }}
- name: FLOWSTEER_METRICS_PROMETHEUS_BIND
  value: "0.0.0.0:{{ $v.worker.metrics.port }}"
{{- end -}}
