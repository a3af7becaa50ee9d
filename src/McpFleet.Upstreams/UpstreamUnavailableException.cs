namespace McpFleet.Upstreams;

/// <summary>The upstream MCP server cannot take or finish a request: it is starting, restarting, gone or stopping.</summary>
public sealed class UpstreamUnavailableException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="UpstreamUnavailableException"/> class.</summary>
    public UpstreamUnavailableException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="UpstreamUnavailableException"/> class.</summary>
    /// <param name="message">Why, in words a client can act on.</param>
    public UpstreamUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="UpstreamUnavailableException"/> class.</summary>
    /// <param name="message">Why.</param>
    /// <param name="innerException">The cause.</param>
    public UpstreamUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
