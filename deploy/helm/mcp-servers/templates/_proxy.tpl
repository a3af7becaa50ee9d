{{/*
mcpfleet-proxy in the pod (docs/proxy.md "In the rendered pod"), as the renderer's ProxyContainers and ResolvedProxy
build it: the parity tests compare both.
*/}}

{{/*
The proxy settings as JSON: {"on": bool, "stdio": bool, "image": "...", "args": [the proxy's arguments before the
server's command], "upstreamPort": n}. On by default for transport stdio, opt-in for http.
*/}}
{{- define "mcp-servers.proxy" -}}
{{- $p := .Values.proxy | default dict -}}
{{- $stdio := eq (.Values.transport | default "http") "stdio" -}}
{{- $on := ternary $p.enabled $stdio (hasKey $p "enabled") -}}
{{- $image := $p.image | default (printf "%smcpfleet/proxy:v%s" (regexFind "^[^/]+/" .Values.fleet.image) .Chart.AppVersion) -}}
{{- $args := list -}}
{{- if $stdio -}}
{{- $args = list "stdio" -}}
{{- else if $on -}}
{{- if not $p.upstreamPort -}}
{{- fail (printf "%s: an http server behind the proxy needs proxy.upstreamPort (the port it listens on, on localhost)" .Values.name) -}}
{{- end -}}
{{- $args = list "http" "--upstream" (printf "http://127.0.0.1:%d/mcp" ($p.upstreamPort | int)) -}}
{{- end -}}
{{- if $p.maxConcurrency }}{{ $args = concat $args (list "--max-concurrency" ($p.maxConcurrency | int | toString)) }}{{ end -}}
{{- if $p.requestTimeout }}{{ $args = concat $args (list "--request-timeout" ($p.requestTimeout | toString)) }}{{ end -}}
{{- if $p.initializeTimeout }}{{ $args = concat $args (list "--initialize-timeout" ($p.initializeTimeout | toString)) }}{{ end -}}
{{- if $p.stopTimeout }}{{ $args = concat $args (list "--stop-timeout" ($p.stopTimeout | toString)) }}{{ end -}}
{{- dict "on" $on "stdio" (and $on $stdio) "image" $image "args" $args "upstreamPort" ($p.upstreamPort | default 0 | int) | toJson -}}
{{- end -}}

{{/*
The env of a serving container. Call with (dict "ctx" $ "serverPort" n "metricsPort" n-or-0): a server behind the proxy
sidecar listens on its upstream port and gets no METRICS_PORT (the sidecar serves that port in the same pod).
*/}}
{{- define "mcp-servers.env" -}}
{{- $v := .ctx.Values -}}
- name: ENVIRONMENT
  value: {{ $v.fleet.environment | toString | quote }}
{{- range $k, $val := $v.fleet.env }}
- name: {{ $k }}
  value: {{ $val | toString | quote }}
{{- end }}
- name: SERVER_PORT
  value: {{ .serverPort | int | toString | quote }}
{{- if .metricsPort }}
- name: METRICS_PORT
  value: {{ .metricsPort | int | toString | quote }}
{{- end }}
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: MCP_SESSION_MODE
  value: {{ $v.sessionMode | default "stateless" | quote }}
{{- range $k, $val := $v.env }}
- name: {{ $k }}
  value: {{ $val | toString | quote }}
{{- end }}
{{- range $v.dependsOn }}
- name: {{ include "mcp-servers.dependencyVariable" .name }}
  value: {{ printf "http://mcp-%s.%s.svc.cluster.local:%d/mcp" .name $.ctx.Release.Namespace (.port | int) | quote }}
{{- end }}
{{- end -}}

{{/* The security context of every container, the proxy's included (PSS restricted with the pod's context). */}}
{{- define "mcp-servers.containerSecurityContext" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  runAsNonRoot: true
  capabilities:
    drop:
      - ALL
{{- end -}}

{{/* Requests and limits of the proxy's own containers (FleetDefaults.ProxyResources). */}}
{{- define "mcp-servers.proxyResources" -}}
resources:
  requests:
    cpu: 50m
    memory: 64Mi
  limits:
    cpu: 500m
    memory: 256Mi
{{- end -}}

{{/* initContainers of a server behind the proxy: the install step (stdio) or the proxy's native sidecar (http). */}}
{{- define "mcp-servers.proxyInitContainers" -}}
{{- $proxy := include "mcp-servers.proxy" . | fromJson -}}
{{- $name := include "mcp-servers.fullname" . -}}
{{- $metricsPort := .Values.fleet.metricsPort | int -}}
{{- $probes := .Values.probes | default dict -}}
{{- $timeout := $probes.timeoutSeconds | default 2 | int -}}
{{- if $proxy.on }}
initContainers:
{{- if $proxy.stdio }}
  # Copies mcpfleet-proxy into the emptyDir the server's container runs it from (the proxy's image has no shell).
  - name: mcpfleet-proxy-install
    image: {{ $proxy.image }}
    imagePullPolicy: IfNotPresent
    args:
      - install
      - /mcpfleet
    {{- include "mcp-servers.proxyResources" . | nindent 4 }}
    {{- include "mcp-servers.containerSecurityContext" . | nindent 4 }}
    volumeMounts:
      - name: mcpfleet
        mountPath: /mcpfleet
{{- else }}
  # The proxy as a native sidecar: it serves the pod's ports and probes and forwards to the server on localhost.
  - name: mcpfleet-proxy
    image: {{ $proxy.image }}
    imagePullPolicy: IfNotPresent
    restartPolicy: Always
    args:
      {{- range $proxy.args }}
      - {{ . | toString | quote }}
      {{- end }}
    ports:
      - name: mcp
        containerPort: {{ .Values.port | int }}
        protocol: TCP
      - name: metrics
        containerPort: {{ $metricsPort }}
        protocol: TCP
    env:
      {{- include "mcp-servers.env" (dict "ctx" . "serverPort" .Values.port "metricsPort" $metricsPort) | nindent 6 }}
    {{- if .Values.secrets }}
    envFrom:
      - secretRef:
          name: {{ printf "%s-secrets" $name }}
    {{- end }}
    {{- include "mcp-servers.proxyResources" . | nindent 4 }}
    startupProbe:
      httpGet:
        path: /health
        port: mcp
      periodSeconds: {{ $probes.startupPeriodSeconds | default 2 | int }}
      failureThreshold: {{ $probes.startupFailureThreshold | default 30 | int }}
      timeoutSeconds: {{ $timeout }}
    livenessProbe:
      httpGet:
        path: /health
        port: mcp
      periodSeconds: {{ $probes.livenessPeriodSeconds | default 10 | int }}
      failureThreshold: 3
      timeoutSeconds: {{ $timeout }}
    readinessProbe:
      httpGet:
        path: /ready
        port: mcp
      periodSeconds: {{ $probes.readinessPeriodSeconds | default 5 | int }}
      failureThreshold: 2
      timeoutSeconds: {{ $timeout }}
    lifecycle:
      preStop:
        sleep:
          seconds: 5
    {{- include "mcp-servers.containerSecurityContext" . | nindent 4 }}
    volumeMounts:
      - name: config
        mountPath: /app/config
        readOnly: true
      - name: tmp
        mountPath: /tmp
{{- end }}
{{- end }}
{{- end -}}
