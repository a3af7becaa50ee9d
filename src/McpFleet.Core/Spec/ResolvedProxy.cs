using System.Globalization;

namespace McpFleet.Spec;

/// <summary>
/// <c>mcpfleet-proxy</c> in front of one server, with its defaults applied: what the renderer puts in the pod and
/// what <c>up --local</c> starts. <see cref="Arguments"/> is the one place its command line is built.
/// </summary>
public sealed record ResolvedProxy
{
    /// <summary>The directory the install step copies the proxy into, an <c>emptyDir</c> mounted read-only in the server's container.</summary>
    public const string InstallDirectory = "/mcpfleet";

    /// <summary>The proxy's executable name (<c>AssemblyName</c> of <c>src/McpFleet.Proxy</c>).</summary>
    public const string BinaryName = "mcpfleet-proxy";

    /// <summary>The name of the init container that copies the proxy into <see cref="InstallDirectory"/>.</summary>
    public const string InstallContainerName = "mcpfleet-proxy-install";

    /// <summary>The name of the proxy's native sidecar in front of an http server.</summary>
    public const string SidecarContainerName = "mcpfleet-proxy";

    /// <summary>Gets the server's transport: stdio runs the server as the proxy's child, http fronts it on localhost.</summary>
    public required ServerTransport Transport { get; init; }

    /// <summary>Gets the proxy's image.</summary>
    public required string Image { get; init; }

    /// <summary>Gets the port the http server listens on, on localhost; <see langword="null"/> for stdio.</summary>
    public int? UpstreamPort { get; init; }

    /// <summary>Gets <c>--max-concurrency</c>, or <see langword="null"/> for the proxy's default.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Gets <c>--request-timeout</c>, or <see langword="null"/>.</summary>
    public string? RequestTimeout { get; init; }

    /// <summary>Gets <c>--initialize-timeout</c>, or <see langword="null"/>.</summary>
    public string? InitializeTimeout { get; init; }

    /// <summary>Gets <c>--stop-timeout</c>, or <see langword="null"/>.</summary>
    public string? StopTimeout { get; init; }

    /// <summary>Gets the path of the proxy inside a stdio server's container.</summary>
    public static string InstalledPath => InstallDirectory + "/" + BinaryName;

    /// <summary>Gets the URL of the http server behind the proxy, <c>http://127.0.0.1:&lt;upstreamPort&gt;/mcp</c>.</summary>
    public string? UpstreamUrl => UpstreamPort is { } port
        ? string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}{RuntimeContract.McpPath}")
        : null;

    /// <summary>
    /// The proxy's arguments (after its executable): <c>stdio [options] -- &lt;command&gt; [args…]</c> or
    /// <c>http --upstream &lt;url&gt; [options]</c>.
    /// </summary>
    /// <param name="command">The server's command and arguments (stdio); ignored for http.</param>
    /// <returns>The arguments.</returns>
    public IReadOnlyList<string> Arguments(IEnumerable<string> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var result = new List<string>();
        if (Transport == ServerTransport.Stdio)
        {
            result.Add("stdio");
        }
        else
        {
            result.AddRange(["http", "--upstream", UpstreamUrl ?? throw new InvalidOperationException("An http server behind the proxy needs an upstream port.")]);
        }

        if (MaxConcurrency is { } max)
        {
            result.AddRange(["--max-concurrency", max.ToString(CultureInfo.InvariantCulture)]);
        }

        Option("--request-timeout", RequestTimeout);
        Option("--initialize-timeout", InitializeTimeout);
        Option("--stop-timeout", StopTimeout);
        if (Transport == ServerTransport.Stdio)
        {
            // "--" keeps a command that starts with '-' the server's, and says where the proxy's options end.
            result.Add("--");
            result.AddRange(command);
        }

        return result;

        void Option(string name, string? value)
        {
            if (value is not null)
            {
                result.AddRange([name, value]);
            }
        }
    }
}
