using McpFleet.Diagnostics;
using McpFleet.Import.Mapping.Syntax;
using McpFleet.Spec;

namespace McpFleet.Import;

/// <summary>A server being imported: what the service mapping found, before ports, images and phases are settled.</summary>
internal sealed class ServerDraft(string service, string name, SourceLocation location)
{
    /// <summary>Gets the Compose service name.</summary>
    public string Service { get; } = service;

    /// <summary>Gets the fleet server name.</summary>
    public string Name { get; } = name;

    /// <summary>Gets where the service was declared.</summary>
    public SourceLocation Location { get; } = location;

    /// <summary>Gets the report rows, in field order.</summary>
    public List<ReportEntry> Entries { get; } = [];

    /// <summary>Gets the env vars, in Compose order (the renderer sorts them).</summary>
    public List<KeyValuePair<string, string>> Env { get; } = [];

    /// <summary>Gets the secrets, in the order they were found.</summary>
    public List<MovedSecret> Secrets { get; } = [];

    /// <summary>Gets or sets the image, or <see langword="null"/> for a build-only service.</summary>
    public ImageReference? Image { get; set; }

    /// <summary>Gets or sets where <c>image</c> was written.</summary>
    public SourceLocation? ImageLocation { get; set; }

    /// <summary>Gets or sets where <c>build</c> was written, for a build-only service.</summary>
    public SourceLocation? BuildOnly { get; set; }

    /// <summary>Gets or sets the container port Compose used, and where.</summary>
    public (int Port, SourceLocation Location, string Field)? ContainerPort { get; set; }

    /// <summary>Gets or sets why the MCP port is not the first port (an env var, a comment or the command names it).</summary>
    public string? McpPortChoice { get; set; }

    /// <summary>Gets or sets the MCP port once assigned.</summary>
    public int Port { get; set; }

    /// <summary>Gets or sets the replica count.</summary>
    public int? Replicas { get; set; }

    /// <summary>Gets or sets the requests.</summary>
    public ResourceQuantities? Requests { get; set; }

    /// <summary>Gets or sets the limits.</summary>
    public ResourceQuantities? Limits { get; set; }

    /// <summary>Gets or sets the GPU request.</summary>
    public GpuSpec? Gpu { get; set; }

    /// <summary>Gets or sets the container command (from <c>entrypoint</c>).</summary>
    public IReadOnlyList<string>? Command { get; set; }

    /// <summary>Gets or sets the container args (from <c>command</c>).</summary>
    public IReadOnlyList<string>? Args { get; set; }

    /// <summary>Gets the labels kept.</summary>
    public SortedDictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the description.</summary>
    public string? Description { get; set; }

    /// <summary>Gets or sets probe overrides.</summary>
    public ProbeOverrides? Probes { get; set; }

    /// <summary>Gets the external destinations found in env URLs.</summary>
    public List<EgressRule> Egress { get; } = [];

    /// <summary>Gets the Compose <c>depends_on</c> entries: service, condition and where.</summary>
    public List<(string Service, string Condition, SourceLocation Location)> DependsOn { get; } = [];

    /// <summary>Gets the dependencies kept, as server names.</summary>
    public List<string> Dependencies { get; } = [];

    /// <summary>Gets or sets the 1-based phase.</summary>
    public int Phase { get; set; }

    /// <summary>Gets or sets the version.</summary>
    public string Version { get; set; } = "0.1.0";

    /// <summary>Gets or sets the explicit image, when the fleet pattern does not produce it.</summary>
    public string? ExplicitImage { get; set; }

    /// <summary>
    /// Gets the required variables (<c>${VAR:?}</c>) without a value that only feed a secret of this server: the import
    /// goes on without them.
    /// </summary>
    public HashSet<MissingRequired> SecretOnlyRequired { get; } = [];

    /// <summary>Gets or sets where <c>stdin_open: true</c> was written (a service kept talking over stdin), or <see langword="null"/>.</summary>
    public SourceLocation? StdinOpen { get; set; }

    /// <summary>Gets or sets the transport: <see cref="ServerTransport.Stdio"/> for a stdio MCP server (<see cref="Mapping.StdioMapping"/>).</summary>
    public ServerTransport Transport { get; set; } = ServerTransport.Http;

    /// <summary>Gets or sets a value indicating whether this is a non-MCP service that <c>--include</c> named.</summary>
    public bool Included { get; set; }

    /// <summary>Adds a report row.</summary>
    /// <param name="field">The field.</param>
    /// <param name="outcome">What became of it.</param>
    /// <param name="detail">How or why.</param>
    /// <param name="location">Where.</param>
    /// <param name="attention">Whether a person must act.</param>
    public void Report(string field, FieldOutcome outcome, string detail, SourceLocation location, bool attention = false) =>
        Entries.Add(new ReportEntry(field, outcome, detail, location, attention));

    /// <summary>Sets an env var, replacing an earlier value of the same name.</summary>
    /// <param name="key">The name.</param>
    /// <param name="value">The value.</param>
    public void SetEnv(string key, string value)
    {
        Env.RemoveAll(e => e.Key == key);
        Env.Add(new(key, value));
    }
}
