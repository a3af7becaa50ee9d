namespace McpFleet;

/// <summary>
/// The runtime contract between the manifests that McpFleet renders and the servers that run in them.
/// </summary>
/// <remarks>
/// The renderer (McpFleet.Core), the Helm chart and the hosting library (McpFleet.Hosting) all read these values,
/// so a probe path, a port name or a shutdown timing cannot drift between the pod spec and the process.
/// <c>docs/runtime-contract.md</c> has the same values as one table; a test keeps the two in step.
/// </remarks>
public static class RuntimeContract
{
    /// <summary>The MCP Streamable HTTP endpoint.</summary>
    public const string McpPath = "/mcp";

    /// <summary>Liveness: the process is alive. Never checks dependencies.</summary>
    public const string HealthPath = "/health";

    /// <summary>Readiness: every dependency check passes and the server is not draining.</summary>
    public const string ReadyPath = "/ready";

    /// <summary>Prometheus exposition, served on the metrics port only.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Name of the container port that serves MCP and the probes.</summary>
    public const string McpPortName = "mcp";

    /// <summary>Name of the container port that serves <see cref="MetricsPath"/>.</summary>
    public const string MetricsPortName = "metrics";

    /// <summary>Default metrics port inside the pod (the OpenTelemetry Prometheus exporter's conventional port).</summary>
    public const int DefaultMetricsPort = 9464;

    /// <summary>Directory where the server's ConfigMap is mounted, read-only.</summary>
    public const string ConfigDirectory = "/app/config";

    /// <summary>File name of the server config inside <see cref="ConfigDirectory"/>.</summary>
    public const string ConfigFileName = "server-config.json";

    /// <summary>Full default path of the server config.</summary>
    public const string ConfigPath = ConfigDirectory + "/" + ConfigFileName;

    /// <summary>Writable scratch directory (an emptyDir, because the root filesystem is read-only).</summary>
    public const string TempDirectory = "/tmp";

    /// <summary>Environment variable names the renderer sets and the hosting library reads.</summary>
    public static class EnvironmentVariables
    {
        /// <summary>The MCP port.</summary>
        public const string ServerPort = "SERVER_PORT";

        /// <summary>The metrics port.</summary>
        public const string MetricsPort = "METRICS_PORT";

        /// <summary>The deployment environment (the document's <c>ENVIRONMENT</c>, e.g. <c>prod</c>).</summary>
        public const string Environment = "ENVIRONMENT";

        /// <summary>Overrides <see cref="ConfigPath"/>; used by <c>mcpfleet up --local</c>.</summary>
        public const string ConfigPath = "MCPFLEET_CONFIG_PATH";

        /// <summary>The namespace the pod runs in (downward API); used for the DNS convention of service discovery.</summary>
        public const string Namespace = "POD_NAMESPACE";

        /// <summary>
        /// The session mode the spec declares (<c>stateless</c> or <c>stateful</c>), so the process serves the way the
        /// manifests (replicas, HPA, <c>mcpfleet.io/session-mode</c>) assume it does.
        /// </summary>
        public const string SessionMode = "MCP_SESSION_MODE";

        /// <summary>Suffix of the variable that carries a dependency's URL: <c>AI_MEMORY</c> + <see cref="DependencyUrlSuffix"/>.</summary>
        public const string DependencyUrlSuffix = "_MCP_URL";

        /// <summary>Comma-separated bearer API keys that callers must present; unset means no key check. From the server's secret.</summary>
        public const string ApiKeys = "MCP_API_KEYS";

        /// <summary>
        /// Gets the variables McpFleet sets itself, so a spec may not set them and an import drops them:
        /// <see cref="Environment"/>, <see cref="ServerPort"/>, <see cref="MetricsPort"/>, <see cref="Namespace"/> and
        /// <see cref="SessionMode"/> in every pod (renderer and chart), and <see cref="ConfigPath"/> for every process of
        /// <c>mcpfleet up --local</c>, where a value from the spec would be overwritten (and in a pod would point the
        /// server away from its mounted config).
        /// </summary>
        /// <remarks>
        /// A dependency's <c>*_MCP_URL</c> is set only for the servers named in <c>dependsOn</c>, so it is not listed:
        /// a spec may point a server at an MCP server outside the fleet.
        /// </remarks>
        public static IReadOnlyList<string> SetByMcpFleet { get; } = [Environment, ServerPort, MetricsPort, Namespace, SessionMode, ConfigPath];

        /// <summary>Tells whether McpFleet sets <paramref name="name"/> itself (<see cref="SetByMcpFleet"/>).</summary>
        /// <param name="name">The variable name.</param>
        /// <returns><see langword="true"/> for a variable of <see cref="SetByMcpFleet"/>.</returns>
        public static bool IsSetByMcpFleet(string name) => name is Environment or ServerPort or MetricsPort or Namespace or SessionMode or ConfigPath;
    }

    /// <summary>Shutdown timings. Their sum plus <see cref="Shutdown.MarginSeconds"/> is the pod's termination grace period.</summary>
    public static class Shutdown
    {
        /// <summary>
        /// The preStop hook sleeps this long before the kubelet sends SIGTERM, so that the endpoints controller and
        /// kube-proxy stop routing new connections to a terminating pod first.
        /// </summary>
        public const int PreStopSleepSeconds = 5;

        /// <summary>After SIGTERM, <c>/ready</c> answers 503 at once and the server keeps serving for this long.</summary>
        public const int DrainDelaySeconds = 5;

        /// <summary>Upper bound for finishing in-flight requests and closing SSE streams after the drain delay.</summary>
        public const int ShutdownTimeoutSeconds = 15;

        /// <summary>Headroom between the process's own bound and the kubelet's SIGKILL.</summary>
        public const int MarginSeconds = 5;

        /// <summary>The pod's <c>terminationGracePeriodSeconds</c>.</summary>
        public const int TerminationGracePeriodSeconds = PreStopSleepSeconds + DrainDelaySeconds + ShutdownTimeoutSeconds + MarginSeconds;
    }

    /// <summary>Probe timings. A slow start is absorbed by the startup probe, not by an initial delay on liveness.</summary>
    public static class Probes
    {
        /// <summary>Startup probe period.</summary>
        public const int StartupPeriodSeconds = 2;

        /// <summary>Startup probe failures allowed: <c>2 s × 30 = 60 s</c> to start.</summary>
        public const int StartupFailureThreshold = 30;

        /// <summary>Liveness probe period.</summary>
        public const int LivenessPeriodSeconds = 10;

        /// <summary>Liveness probe failures before a restart.</summary>
        public const int LivenessFailureThreshold = 3;

        /// <summary>Readiness probe period (the document's value).</summary>
        public const int ReadinessPeriodSeconds = 5;

        /// <summary>Readiness probe failures before the pod leaves the endpoints.</summary>
        public const int ReadinessFailureThreshold = 2;

        /// <summary>Timeout of every probe.</summary>
        public const int TimeoutSeconds = 2;
    }

    /// <summary>Labels and annotations that both the renderer and the linter rely on.</summary>
    public static class Labels
    {
        /// <summary>The document's tier label; every MCP pod carries <c>tier: mcp</c>.</summary>
        public const string Tier = "tier";

        /// <summary>Value of <see cref="Tier"/> for MCP servers.</summary>
        public const string TierMcp = "mcp";

        /// <summary>The document's selector label, <c>app: mcp-{name}</c>.</summary>
        public const string App = "app";

        /// <summary>The document's version label, <c>version: v{version}</c>.</summary>
        public const string Version = "version";

        /// <summary>Annotation carrying the session mode (<c>stateless</c> or <c>stateful</c>).</summary>
        public const string SessionModeAnnotation = "mcpfleet.io/session-mode";

        /// <summary>Annotation on the pod template with the SHA-256 of <c>server-config.json</c>, so a config change rolls the pods.</summary>
        public const string ConfigChecksumAnnotation = "checksum/config";

        /// <summary>Value of <c>app.kubernetes.io/managed-by</c> on objects that <c>mcpfleet</c> renders.</summary>
        public const string ManagedByValue = "mcpfleet";

        /// <summary>Prefix of every object name: <c>mcp-{name}</c>.</summary>
        public const string NamePrefix = "mcp-";
    }

    /// <summary>
    /// The name of the environment variable that carries the URL of dependency <paramref name="serverName"/>:
    /// <c>ai-memory</c> → <c>AI_MEMORY_MCP_URL</c>.
    /// </summary>
    /// <param name="serverName">The DNS-1123 server name.</param>
    /// <returns>The environment variable name.</returns>
    public static string DependencyUrlVariable(string serverName)
    {
        ArgumentNullException.ThrowIfNull(serverName);
        return serverName.Replace('-', '_').ToUpperInvariant() + EnvironmentVariables.DependencyUrlSuffix;
    }

    /// <summary>The in-cluster URL of a server's MCP endpoint by the Kubernetes DNS convention.</summary>
    /// <param name="serverName">The DNS-1123 server name.</param>
    /// <param name="ns">The namespace.</param>
    /// <param name="port">The server's MCP port.</param>
    /// <returns><c>http://mcp-{name}.{ns}.svc.cluster.local:{port}/mcp</c>.</returns>
    public static string ServiceUrl(string serverName, string ns, int port) =>
        $"http://{Labels.NamePrefix}{serverName}.{ns}.svc.cluster.local:{port}{McpPath}";
}
