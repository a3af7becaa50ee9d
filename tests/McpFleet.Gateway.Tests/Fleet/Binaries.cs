using McpFleet.Tests;

namespace McpFleet.Gateway.Tests.Fleet;

/// <summary>The programs the tests run as real processes, built with this test project.</summary>
internal static class Binaries
{
    /// <summary>Gets the build configuration of this test assembly (…/bin/&lt;Configuration&gt;/net10.0/).</summary>
    public static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    /// <summary>Gets the gateway's apphost.</summary>
    public static string Gateway => Built("src", "McpFleet.Gateway", "mcpfleet-gateway");

    /// <summary>Gets the proxy's apphost.</summary>
    public static string Proxy => Built("src", "McpFleet.Proxy", "mcpfleet-proxy");

    /// <summary>Gets the Conformance server's dll.</summary>
    public static string ConformanceDll => Built("servers", "Conformance", "McpFleet.Servers.Conformance.dll");

    /// <summary>Gets the Notes server's dll.</summary>
    public static string NotesDll => Built("servers", "Notes", "McpFleet.Servers.Notes.dll");

    /// <summary>Returns the command of an npm MCP server installed by eng/tools.sh (run with the tools' Node 22).</summary>
    /// <param name="package">The package under @modelcontextprotocol.</param>
    /// <param name="entry">The entry script inside the package.</param>
    /// <returns>The command and its first argument.</returns>
    public static string[] NpmServer(string package, string entry = "dist/index.js") =>
        [ExternalTools.Node, Path.Combine(ExternalTools.NodeModules, "@modelcontextprotocol", package, entry)];

    private static string Built(string folder, string project, string file)
    {
        var path = Path.Combine(Golden.RepoRoot(), folder, project, "bin", Configuration, "net10.0", file);
        Assert.True(File.Exists(path), $"{path} is missing: build tests/McpFleet.Gateway.Tests (it references {project}).");
        return path;
    }
}
