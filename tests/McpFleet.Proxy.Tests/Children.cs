using McpFleet.Tests;

namespace McpFleet.Proxy.Tests;

/// <summary>The commands the tests put behind the proxy.</summary>
internal static class Children
{
    /// <summary>Gets the build configuration of this test assembly (…/bin/&lt;Configuration&gt;/net10.0/).</summary>
    public static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    /// <summary>Gets the proxy's apphost, built with the tests.</summary>
    public static string Proxy
    {
        get
        {
            var path = Path.Combine(Golden.RepoRoot(), "src", "McpFleet.Proxy", "bin", Configuration, "net10.0", "mcpfleet-proxy");
            Assert.True(File.Exists(path), $"{path} is missing: build tests/McpFleet.Proxy.Tests (it references the proxy).");
            return path;
        }
    }

    /// <summary>Gets the Conformance server's dll.</summary>
    public static string ConformanceDll
    {
        get
        {
            var dll = Path.Combine(Golden.RepoRoot(), "servers", "Conformance", "bin", Configuration, "net10.0", "McpFleet.Servers.Conformance.dll");
            Assert.True(File.Exists(dll), $"{dll} is missing: build tests/McpFleet.Proxy.Tests (it references the server).");
            return dll;
        }
    }

    /// <summary>Returns the arguments after <c>stdio</c> that run the legacy test child.</summary>
    /// <param name="childArguments">Arguments for the child (--mode, --marker, --tag).</param>
    /// <returns>The proxy's arguments from <c>--</c> on.</returns>
    public static string[] Legacy(params string[] childArguments) =>
        ["--", ExternalTools.Node, Path.Combine(AppContext.BaseDirectory, "children", "legacy-child.mjs"), .. childArguments];

    /// <summary>Returns the command of an npm MCP server installed by eng/tools.sh (run with the tools' Node 22).</summary>
    /// <param name="package">The package under @modelcontextprotocol, e.g. server-everything.</param>
    /// <param name="entry">The entry script inside the package.</param>
    /// <returns>The command and its first argument.</returns>
    public static string[] NpmServer(string package, string entry = "dist/index.js") =>
        [ExternalTools.Node, Path.Combine(ExternalTools.NodeModules, "@modelcontextprotocol", package, entry)];
}
