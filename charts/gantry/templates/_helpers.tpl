{{/*
The chart name, or nameOverride.
*/}}
{{- define "gantry.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The prefix of every object name: fullnameOverride, else "<release>" when it already contains the
chart name, else "<release>-<chart>". Truncated to leave room for the "-dataplane" suffix.
*/}}
{{- define "gantry.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "gantry.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "gantry.operator.fullname" -}}
{{- printf "%s-operator" (include "gantry.fullname" .) }}
{{- end }}

{{- define "gantry.dataplane.fullname" -}}
{{- printf "%s-dataplane" (include "gantry.fullname" .) }}
{{- end }}

{{/*
Labels on every object. Call with the root context.
*/}}
{{- define "gantry.labels" -}}
helm.sh/chart: {{ include "gantry.chart" . }}
app.kubernetes.io/name: {{ include "gantry.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: gantry
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Selector labels of one component. Call with (dict "ctx" $ "component" "operator").
These never change after install: Deployment selectors are immutable.
*/}}
{{- define "gantry.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gantry.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
All labels of one component's objects. Call with (dict "ctx" $ "component" "operator").
*/}}
{{- define "gantry.componentLabels" -}}
{{ include "gantry.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "gantry.operator.serviceAccountName" -}}
{{- if .Values.operator.serviceAccount.create }}
{{- default (include "gantry.operator.fullname" .) .Values.operator.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.operator.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "gantry.dataplane.serviceAccountName" -}}
{{- if .Values.dataplane.serviceAccount.create }}
{{- default (include "gantry.dataplane.fullname" .) .Values.dataplane.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.dataplane.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The image reference: repository@digest when a digest is set, else repository:tag with the tag
defaulting to the chart's appVersion.
*/}}
{{- define "gantry.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else if eq .Values.image.tag "latest" }}
{{- fail "image.tag: latest (expected: a fixed version such as 0.1.0, or image.digest)" }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
The address the dataplane dials for the snapshot stream.
*/}}
{{- define "gantry.dataplane.operatorAddress" -}}
{{- if .Values.dataplane.operatorAddress }}
{{- .Values.dataplane.operatorAddress }}
{{- else }}
{{- printf "%s.%s.svc:%d" (include "gantry.operator.fullname" .) .Release.Namespace (int .Values.operator.grpcPort) }}
{{- end }}
{{- end }}

{{/*
A PodDisruptionBudget's budget: minAvailable when set, else maxUnavailable. Call with the
component's podDisruptionBudget values.
*/}}
{{- define "gantry.pdbBudget" -}}
{{- if not (kindIs "invalid" .minAvailable) }}
{{- if ne (toString .minAvailable) "" }}
minAvailable: {{ .minAvailable }}
{{- else }}
maxUnavailable: {{ .maxUnavailable }}
{{- end }}
{{- else }}
maxUnavailable: {{ .maxUnavailable }}
{{- end }}
{{- end }}

{{/*
Scheduling fields shared by the two pod templates. Call with the component's values.
*/}}
{{- define "gantry.scheduling" -}}
{{- with .priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
