namespace McpFleet.Hosting;

/// <summary>How the MCP endpoint keeps state between requests.</summary>
public enum McpFleetSessionMode
{
    /// <summary>No sessions: any replica answers any request, so an HPA and a plain Service just work. The default.</summary>
    Stateless,

    /// <summary>Every client gets a session held in this process's memory. Needs session affinity with more than one replica.</summary>
    Stateful,

    /// <summary>Clients that send <c>initialize</c> (protocol 2025-11-25 and earlier) get a session; 2026-07-28 clients do not.</summary>
    StatefulForInitializeClients,
}

/// <summary>
/// Options of an MCP server hosted by McpFleet. Bound from the configuration section <see cref="SectionName"/>
/// (so <c>McpFleet__DrainDelay=00:00:01</c> works from env), then from <c>server-config.json</c> and the
/// <see cref="RuntimeContract.EnvironmentVariables"/>, then from the delegate given to <c>AddMcpFleetServer</c>.
/// </summary>
public sealed class McpFleetServerOptions
{
    /// <summary>The configuration section the options bind to.</summary>
    public const string SectionName = "McpFleet";

    /// <summary>Gets or sets the path of <c>server-config.json</c>. Defaults to <c>MCPFLEET_CONFIG_PATH</c>, else <see cref="RuntimeContract.ConfigPath"/>.</summary>
    public string? ConfigPath { get; set; }

    /// <summary>Gets or sets the server name (DNS-1123), reported as MCP <c>serverInfo.name</c>. From the config file.</summary>
    public string? ServerName { get; set; }

    /// <summary>Gets or sets the server version, reported as MCP <c>serverInfo.version</c>. From the config file.</summary>
    public string? ServerVersion { get; set; }

    /// <summary>Gets or sets the human description from the config file.</summary>
    public string? Description { get; set; }

    /// <summary>Gets or sets the deployment environment (<c>ENVIRONMENT</c>).</summary>
    public string? Environment { get; set; }

    /// <summary>Gets or sets the MCP and probe port (<c>SERVER_PORT</c>, else the config file's <c>port</c>, else 8080).</summary>
    public int Port { get; set; }

    /// <summary>Gets or sets the metrics port (<c>METRICS_PORT</c>, else <see cref="RuntimeContract.DefaultMetricsPort"/>).</summary>
    public int MetricsPort { get; set; }

    /// <summary>Gets or sets the namespace used for service DNS names (<c>POD_NAMESPACE</c>, else <c>default</c>).</summary>
    public string? Namespace { get; set; }

    /// <summary>Gets or sets how long the server keeps serving after SIGTERM while <c>/ready</c> answers 503.</summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(RuntimeContract.Shutdown.DrainDelaySeconds);

    /// <summary>Gets or sets the bound for finishing in-flight requests after the drain delay.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(RuntimeContract.Shutdown.ShutdownTimeoutSeconds);

    /// <summary>
    /// Gets or sets the session mode: from code or configuration, else the config file's <c>sessionMode</c>, else
    /// <see cref="McpFleetSessionMode.Stateless"/>. Stateful modes need session affinity with more than one replica.
    /// </summary>
    public McpFleetSessionMode? SessionMode { get; set; }

    /// <summary>
    /// Gets the extra host names accepted in <c>Host</c> and <c>Origin</c>, besides localhost and the service DNS names.
    /// <c>*</c> turns the check off (only behind a proxy that checks them itself).
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>
    /// Gets or sets how long a stateful session may go without a request before it is closed (the SDK's
    /// <c>HttpServerTransportOptions.IdleTimeout</c>, default there 2 h). An open GET stream keeps a session active.
    /// </summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gets or sets the most stateful sessions this server keeps open, active or idle. Past it a new session gets 503;
    /// open sessions are never evicted to make room (the SDK alone would evict the oldest idle ones past 10 000).
    /// </summary>
    public int MaxSessions { get; set; } = 1000;

    /// <summary>
    /// Gets or sets the most stateful sessions one caller may keep open; past it that caller gets 429 and others are
    /// unaffected. A caller is its API key when <c>MCP_API_KEYS</c> is set, else its remote address.
    /// </summary>
    public int MaxSessionsPerCaller { get; set; } = 100;

    /// <summary>Gets or sets the largest request body accepted on the MCP endpoint; larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Gets or sets the address Kestrel binds; <see langword="null"/> binds every interface (the container default).</summary>
    public string? BindAddress { get; set; }

    /// <summary>Gets the MCP ports of dependencies, for the DNS fallback when no <c>*_MCP_URL</c> is set (default: this server's port).</summary>
    public IDictionary<string, int> DependencyPorts { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>Gets or sets the timeout of one attempt of an inter-MCP HTTP call.</summary>
    public TimeSpan DependencyAttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets a value indicating whether <c>MapMcpFleet</c> ends the process on an invalid config: one line on
    /// stderr and exit code 2 (the default). <see langword="false"/> makes it throw the
    /// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> instead, for a host that owns the process
    /// and reports errors itself (tests, a program that hosts more than the MCP server).
    /// </summary>
    public bool ExitOnInvalidConfiguration { get; set; } = true;

    /// <summary>Gets or sets the error found while loading the config file; reported by validation at start.</summary>
    internal string? ConfigError { get; set; }

    /// <summary>
    /// Gets or sets the SHA-256 hashes of the keys in <c>MCP_API_KEYS</c>: <see langword="null"/> when the variable is unset
    /// (no key check), empty when it is set but holds no key (a config error: authentication fails closed).
    /// </summary>
    internal byte[][]? ApiKeyHashes { get; set; }

    /// <summary>Gets or sets whether a config file was read.</summary>
    internal string? LoadedConfigPath { get; set; }
}
