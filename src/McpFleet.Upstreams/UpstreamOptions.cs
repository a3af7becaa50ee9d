namespace McpFleet.Upstreams;

/// <summary>How an <see cref="Upstream"/> starts, watches and restarts its MCP server.</summary>
public sealed class UpstreamOptions
{
    /// <summary>
    /// Gets or sets the protocol version asked for in <c>initialize</c>. Pinned, so a start never pays a
    /// <c>server/discover</c> probe; a server that knows only an older version answers with that one, which is accepted.
    /// </summary>
    public string ProtocolVersion { get; set; } = "2025-11-25";

    /// <summary>Gets or sets the client name the proxy gives in <c>initialize</c>.</summary>
    public string ClientName { get; set; } = "mcpfleet-proxy";

    /// <summary>Gets or sets the program named in the reasons clients, logs and <c>/ready</c> read.</summary>
    public string Program { get; set; } = "mcpfleet-proxy";

    /// <summary>
    /// Gets or sets whether the server is connected to (Streamable HTTP) rather than started (a child process): the
    /// reasons then say the program connects again, not that it restarts the server.
    /// </summary>
    public bool Reconnects { get; set; }

    /// <summary>Gets what <see cref="Program"/> does when the server goes, as the reasons say it.</summary>
    internal string ComesBack => Reconnects ? $"{Program} connects again" : $"{Program} restarts it";

    /// <summary>Gets or sets the client version the proxy gives in <c>initialize</c>.</summary>
    public string ClientVersion { get; set; } = "0.1.0";

    /// <summary>Gets or sets how long the server may take to answer <c>initialize</c> after it started.</summary>
    public TimeSpan InitializeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how often the server is pinged when it has sent nothing for that long.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how long a ping may take before the server counts as not answering (readiness 503).</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets after how many unanswered pings in a row the server is restarted.</summary>
    public int RestartAfterFailedPings { get; set; } = 3;

    /// <summary>Gets or sets the first restart delay; it doubles with every restart that follows (as a kubelet's back-off).</summary>
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest restart delay.</summary>
    public TimeSpan MaxRestartDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how long the server must stay ready before the restart delay starts again from <see cref="RestartDelay"/>.</summary>
    public TimeSpan ResetRestartDelayAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the bound for stopping the server: stdin closed, then SIGTERM, then SIGKILL when it is over.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how long a client may take to answer the server's sampling, elicitation or roots request.</summary>
    public TimeSpan ServerRequestTimeout { get; set; } = TimeSpan.FromSeconds(120);
}
