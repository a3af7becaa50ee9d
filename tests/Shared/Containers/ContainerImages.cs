using McpFleet.Local.Containers;

namespace McpFleet.Tests;

/// <summary>The container tests of a test assembly share one Podman and one registry, so they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class PodmanTests : ICollectionFixture<ContainerImages>
{
    /// <summary>The collection name.</summary>
    public const string Name = "podman";
}

/// <summary>
/// The server images every container test runs: the references <c>eng/images.sh</c> printed (eng/test.sh builds them
/// first and passes the list in <c>MCPFLEET_IMAGES</c>), or, when the variable is unset, a run of <c>eng/images.sh</c>
/// here. Podman runs with the project's own config from <c>eng/tools.sh</c>. Shared by the Local and the CLI tests.
/// </summary>
public sealed class ContainerImages : IAsyncLifetime
{
    private readonly Dictionary<string, string> _references = new(StringComparer.Ordinal);

    /// <summary>Gets the podman command line.</summary>
    public PodmanCli Podman { get; } = new();

    /// <summary>Gets the registry the images were pushed to, such as <c>localhost:5000</c>.</summary>
    public string Registry { get; private set; } = "";

    /// <summary>Gets each image's reference by server name.</summary>
    public IReadOnlyDictionary<string, string> References => _references;

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        // The tests run podman with the project's config; eng/test.sh sources .tools/env.sh, a bare `dotnet test` may not.
        var containers = Path.Combine(ExternalTools.ToolsDirectory, "containers");
        foreach (var (variable, file) in new[] { ("CONTAINERS_CONF", "containers.conf"), ("CONTAINERS_STORAGE_CONF", "storage.conf"), ("CONTAINERS_REGISTRIES_CONF", "registries.conf") })
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
            {
                var path = Path.Combine(containers, file);
                Assert.True(File.Exists(path), $"{path} is missing: run 'bash eng/tools.sh' (eng/test.sh does this first).");
                Environment.SetEnvironmentVariable(variable, path);
            }
        }

        string text;
        if (Environment.GetEnvironmentVariable("MCPFLEET_IMAGES") is { Length: > 0 } list)
        {
            text = await File.ReadAllTextAsync(list);
        }
        else
        {
            var built = await ExternalTools.RunAsync("bash", ["eng/images.sh"], timeout: TimeSpan.FromMinutes(20));
            built.EnsureSuccess();
            text = built.StandardOutput;
        }

        foreach (var reference in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // <registry>/mcpfleet/<name>:v<version>
            var slash = reference.IndexOf("/mcpfleet/", StringComparison.Ordinal);
            var colon = reference.LastIndexOf(':');
            Assert.True(slash > 0 && colon > slash, $"not an image reference of eng/images.sh: {reference}");
            Registry = reference[..slash];
            _references[reference[(slash + "/mcpfleet/".Length)..colon]] = reference;
        }

        Assert.True(_references.ContainsKey("conformance") && _references.ContainsKey("notes"), $"eng/images.sh printed:\n{text}");

        // The pods use imagePullPolicy IfNotPresent: pull now, so a rebuilt image with the same tag replaces an old copy.
        foreach (var reference in _references.Values)
        {
            var pull = await Podman.RunAsync(TestContext.Current.CancellationToken, "pull", "--quiet", "--tls-verify=false", reference);
            Assert.True(pull.Success, $"podman pull {reference}: {pull.Message}");
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
