namespace McpFleet.Local.Containers;

/// <summary>How <see cref="PodmanManifestAdapter"/> places a fleet on this machine.</summary>
public sealed record PodmanAdapterOptions
{
    /// <summary>Gets the Podman network every pod joins (default <c>mcpfleet-&lt;namespace&gt;</c>).</summary>
    public string? Network { get; init; }

    /// <summary>Gets the network's IPv4 subnet, such as <c>10.89.3.0/24</c>; pods get addresses from the 10th host on.</summary>
    public required string Subnet { get; init; }

    /// <summary>Gets the loopback port per server for its MCP port; a server not listed keeps its spec port.</summary>
    public IReadOnlyDictionary<string, int> HostPorts { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>Gets a value indicating whether a server not in <see cref="HostPorts"/> gets a free loopback port instead of its spec port.</summary>
    public bool AnyPort { get; init; }

    /// <summary>Gets an image reference per server that replaces the rendered one (for example from <c>eng/images.sh</c>).</summary>
    public IReadOnlyDictionary<string, string> Images { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Gets the values of the servers' secrets by key (the ExternalSecrets' <c>secretKey</c>), from a local env file or the
    /// environment. They reach the pods as env values and are never written into the fleet directory.
    /// </summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
