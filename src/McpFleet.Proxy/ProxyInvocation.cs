namespace McpFleet.Proxy;

/// <summary>How the proxy reaches its MCP server.</summary>
internal enum ProxyMode
{
    /// <summary>A child process on stdin and stdout.</summary>
    Stdio,

    /// <summary>A Streamable HTTP endpoint.</summary>
    Http,
}

/// <summary>A parsed command line: the server to front and the settings that override configuration.</summary>
internal sealed record ProxyInvocation
{
    public required ProxyMode Mode { get; init; }

    /// <summary>Gets the server's executable (stdio).</summary>
    public string? Command { get; init; }

    /// <summary>Gets the server's arguments (stdio), passed as they are.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Gets the upstream MCP endpoint (http).</summary>
    public Uri? Upstream { get; init; }

    /// <summary>Gets the server's working directory (stdio).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Gets extra environment variables for the server (stdio).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Gets configuration keys set by options; they win over env and files.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();
}
