using System.Globalization;
using System.Text.Json.Nodes;
using McpFleet.Tests;

namespace McpFleet.Gateway.Tests.Fleet;

/// <summary>
/// A fleet of real MCP servers on loopback: <c>servers/Conformance</c> and <c>servers/Notes</c> (McpFleet.Hosting), and
/// the npm servers <c>server-everything</c> and <c>server-filesystem</c> as stdio children of <c>mcpfleet-proxy</c>.
/// </summary>
public sealed class LoopbackFleet : IAsyncDisposable
{
    private readonly List<ServiceProcess> _servers = [];

    private LoopbackFleet(string files) => FilesRoot = files;

    /// <summary>Gets the directory server-filesystem serves.</summary>
    public string FilesRoot { get; }

    /// <summary>Gets the servers by name.</summary>
    public IReadOnlyDictionary<string, ServiceProcess> Servers => _servers.ToDictionary(s => s.Name);

    /// <summary>Starts the servers named in <paramref name="names"/> (conformance, notes, everything, filesystem) and waits until they are ready.</summary>
    /// <param name="names">Which servers.</param>
    /// <returns>The fleet.</returns>
    public static async Task<LoopbackFleet> StartAsync(params string[] names)
    {
        var files = Directory.CreateTempSubdirectory("mcpfleet-gateway-files-").FullName;
        File.WriteAllText(Path.Combine(files, "hello.txt"), "hello from the fleet\n");
        var fleet = new LoopbackFleet(files);
        try
        {
            ServiceProcess? conformance = null;
            if (names.Contains("conformance") || names.Contains("notes"))
            {
                conformance = fleet.Add(StartConformance("conformance"));
            }

            if (names.Contains("notes"))
            {
                fleet.Add(ServiceProcess.Launch("notes", "dotnet", [Binaries.NotesDll], new Dictionary<string, string>
                {
                    ["CONFORMANCE_MCP_URL"] = conformance!.McpUrl.ToString(),
                    [RuntimeContract.EnvironmentVariables.ConfigPath] = Path.Combine(Golden.RepoRoot(), "servers", "Notes", RuntimeContract.ConfigFileName),
                    ["Logging__LogLevel__Default"] = "Warning",
                }));
            }

            if (names.Contains("everything"))
            {
                fleet.Add(ServiceProcess.Launch("everything", Binaries.Proxy, ["stdio", "--name", "everything", "--", .. Binaries.NpmServer("server-everything", "dist/index.js"), "stdio"]));
            }

            if (names.Contains("filesystem"))
            {
                fleet.Add(ServiceProcess.Launch("filesystem", Binaries.Proxy, ["stdio", "--name", "filesystem", "--", .. Binaries.NpmServer("server-filesystem"), files]));
            }

            await Task.WhenAll(fleet._servers.Select(s => s.WaitReadyAsync()));
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the Conformance server over HTTP (stateless, McpFleet.Hosting).</summary>
    /// <param name="name">Its name in the test.</param>
    /// <param name="port">Its port, or 0 for a free one (a restart uses the same).</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <returns>The process.</returns>
    public static ServiceProcess StartConformance(string name, int port = 0, IReadOnlyDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>
        {
            [RuntimeContract.EnvironmentVariables.ConfigPath] = Path.Combine(Golden.RepoRoot(), "servers", "Conformance", RuntimeContract.ConfigFileName),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            env[k] = v;
        }

        return ServiceProcess.Launch(name, "dotnet", [Binaries.ConformanceDll], env, port);
    }

    /// <summary>Adds a server the test started itself; it ends with the fleet.</summary>
    /// <param name="server">The server.</param>
    /// <returns>The server.</returns>
    public ServiceProcess Add(ServiceProcess server)
    {
        _servers.Add(server);
        return server;
    }

    /// <summary>Returns the gateway's <c>upstreams</c> entry for a server of the fleet.</summary>
    /// <param name="name">The server.</param>
    /// <param name="extra">More fields (prefix, timeout, tools, stateful).</param>
    /// <returns>The entry.</returns>
    public JsonObject Upstream(string name, JsonObject? extra = null)
    {
        var entry = new JsonObject { ["name"] = name, ["url"] = Servers[name].McpUrl.ToString() };
        foreach (var (k, v) in extra ?? [])
        {
            entry[k] = v?.DeepClone();
        }

        return entry;
    }

    /// <summary>Returns a gateway config fronting the named servers (all of them when none is named).</summary>
    /// <param name="names">The servers.</param>
    /// <returns>The config.</returns>
    public JsonObject Config(params string[] names) => new()
    {
        ["upstreams"] = new JsonArray([.. (names.Length == 0 ? _servers.Select(s => s.Name) : names).Select(n => (JsonNode)Upstream(n))]),
        ["health"] = new JsonObject { ["pingInterval"] = "1s", ["pingTimeout"] = "2s", ["maxBackoff"] = "1s" },
    };

    /// <summary>Formats a port.</summary>
    /// <param name="port">The port.</param>
    /// <returns>The text.</returns>
    public static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        try
        {
            Directory.Delete(FilesRoot, recursive: true);
        }
        catch (IOException)
        {
            // Harmless.
        }
    }
}
