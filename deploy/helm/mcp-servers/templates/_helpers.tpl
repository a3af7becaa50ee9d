{{/*
Helpers of the mcp-servers chart. Every name, label and number here mirrors the rendering contract
(docs/patterns.md, src/McpFleet.Contracts/RuntimeContract.cs); the parity tests compare this chart's output with
`mcpfleet render` object by object, so a change here without the same change in the renderer fails the build.
*/}}

{{/* The server's base name, mcp-<name> (the document's object name and `app` label). */}}
{{- define "mcp-servers.name" -}}
{{- printf "mcp-%s" .Values.name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Object names are the contract's, mcp-<name>, whatever the release is called (name the release mcp-<name> too). */}}
{{- define "mcp-servers.fullname" -}}
{{- include "mcp-servers.name" . -}}
{{- end -}}

{{/* Chart name and version, as Helm's convention wants in helm.sh/chart. */}}
{{- define "mcp-servers.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels: the document's `app` label only, so selectors stay immutable across versions. */}}
{{- define "mcp-servers.selectorLabels" -}}
app: {{ include "mcp-servers.name" . }}
{{- end -}}

{{/* Labels of every object and of the pod template. */}}
{{- define "mcp-servers.labels" -}}
{{ include "mcp-servers.selectorLabels" . }}
tier: mcp
version: {{ printf "v%s" .Values.version | quote }}
app.kubernetes.io/name: {{ include "mcp-servers.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.version | quote }}
app.kubernetes.io/component: {{ ternary "mcp-gateway" "mcp-server" (not (empty .Values.gateway)) }}
app.kubernetes.io/part-of: {{ .Values.fleet.name | default .Release.Namespace }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ include "mcp-servers.chart" . }}
mcpfleet.io/phase: {{ .Values.phase | toString | quote }}
{{- $reserved := list "app" "tier" "version" "app.kubernetes.io/name" "app.kubernetes.io/instance" "app.kubernetes.io/version" "app.kubernetes.io/component" "app.kubernetes.io/part-of" "app.kubernetes.io/managed-by" "helm.sh/chart" "mcpfleet.io/phase" }}
{{- range $k, $v := .Values.labels }}
{{- /* The contract's labels win: the selector and managed-by must not be overridden. */}}
{{- if not (has $k $reserved) }}
{{ $k }}: {{ $v | toString | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* metadata: name, namespace and labels. Call with (dict "ctx" $ "name" "<object name>"). */}}
{{- define "mcp-servers.metadata" -}}
metadata:
  name: {{ .name }}
  namespace: {{ .ctx.Release.Namespace }}
  labels:
    {{- include "mcp-servers.labels" .ctx | nindent 4 }}
{{- end -}}

{{/* Fails the release on values that the schema cannot express. */}}
{{- define "mcp-servers.validate" -}}
{{- if and .Values.fleet.namespace (ne .Values.fleet.namespace .Release.Namespace) -}}
{{- fail (printf "fleet.namespace is %s but the release namespace is %s: add --namespace %s" .Values.fleet.namespace .Release.Namespace .Values.fleet.namespace) -}}
{{- end -}}
{{- if and .Values.gpu (kindIs "map" .Values.autoscaling) -}}
{{- fail (printf "%s: a GPU server cannot autoscale (each replica needs a whole GPU); remove autoscaling or gpu" .Values.name) -}}
{{- end -}}
{{- end -}}

{{/*
The effective replica settings as JSON: {"hpa": {minReplicas, maxReplicas[, cpu][, memory]} or null,
"replicas": n, "maxReplicas": n}. Autoscaling unset = fleet default (none for GPU and stateful servers); false = none.
*/}}
{{- define "mcp-servers.scaling" -}}
{{- $v := .Values -}}
{{- /* GPU servers (a GPU per replica) and stateful ones (sessions in one pod) default to one replica and no HPA. */ -}}
{{- $single := or (not (empty $v.gpu)) (eq ($v.sessionMode | default "stateless") "stateful") -}}
{{- $hpa := dict -}}
{{- $on := false -}}
{{- if kindIs "map" $v.autoscaling -}}
{{- $hpa = $v.autoscaling -}}
{{- $on = true -}}
{{- else if and (not (hasKey $v "autoscaling")) (not $single) (kindIs "map" $v.fleet.defaults.autoscaling) -}}
{{- $hpa = $v.fleet.defaults.autoscaling -}}
{{- $on = true -}}
{{- end -}}
{{- $replicas := hasKey $v "replicas" | ternary $v.replicas (ternary 1 $v.fleet.defaults.replicas $single) | int -}}
{{- if $on -}}
{{- $min := hasKey $hpa "minReplicas" | ternary $hpa.minReplicas 2 | int -}}
{{- $max := hasKey $hpa "maxReplicas" | ternary $hpa.maxReplicas 10 | int -}}
{{- $out := dict "minReplicas" $min "maxReplicas" $max -}}
{{- if and (hasKey $hpa "cpu") (not (kindIs "invalid" $hpa.cpu)) }}{{ $_ := set $out "cpu" ($hpa.cpu | int) }}{{ end -}}
{{- if and (hasKey $hpa "memory") (not (kindIs "invalid" $hpa.memory)) }}{{ $_ := set $out "memory" ($hpa.memory | int) }}{{ end -}}
{{- dict "hpa" $out "replicas" $min "maxReplicas" $max | toJson -}}
{{- else -}}
{{- dict "hpa" nil "replicas" $replicas "maxReplicas" $replicas | toJson -}}
{{- end -}}
{{- end -}}

{{/*
server-config.json: exactly the document's fields in the document's order, 2-space indent, trailing newline.
Built by hand because toPrettyJson sorts keys; toJson escapes each value like Go's encoding/json, as the renderer does.
*/}}
{{- define "mcp-servers.configJson" -}}
{
  "name": {{ .Values.name | toJson }},
  "version": {{ .Values.version | toString | toJson }},
  "port": {{ .Values.port | int | toJson }},
  "tools": {{ .Values.tools | int | toJson }},
  "description": {{ .Values.description | toString | toJson }}
}
{{ end -}}

{{/*
The release's config file: the gateway's gateway.json as `mcpfleet helm values` wrote it (values gateway.configJson),
else the server's server-config.json. Call "mcp-servers.configFile" for its name in the ConfigMap.
*/}}
{{- define "mcp-servers.config" -}}
{{- if .Values.gateway -}}
{{- .Values.gateway.configJson -}}
{{- else -}}
{{- include "mcp-servers.configJson" . -}}
{{- end -}}
{{- end -}}

{{- define "mcp-servers.configFile" -}}
{{- ternary "gateway.json" "server-config.json" (not (empty .Values.gateway)) -}}
{{- end -}}

{{/* The image: the server's own reference, else the fleet pattern with {name} and {version}. */}}
{{- define "mcp-servers.image" -}}
{{- if .Values.image -}}
{{- .Values.image -}}
{{- else -}}
{{- .Values.fleet.image | replace "{name}" .Values.name | replace "{version}" (.Values.version | toString) -}}
{{- end -}}
{{- end -}}

{{/* The environment variable carrying a dependency's URL: ai-memory -> AI_MEMORY_MCP_URL. */}}
{{- define "mcp-servers.dependencyVariable" -}}
{{- printf "%s_MCP_URL" (. | replace "-" "_" | upper) -}}
{{- end -}}
