using System.Diagnostics;
using System.Globalization;
using McpFleet.Tests;

namespace McpFleet.Proxy.Tests;

/// <summary>The official conformance suite through the proxy: the Conformance server as a stdio child, and over HTTP.</summary>
public sealed class ConformanceTests
{
    private static string ExpectedFailures => Path.Combine(AppContext.BaseDirectory, "conformance-expected-failures.yml");

    [Fact]
    public async Task ConformanceSuite_StdioChildStateless_PassesEveryScenarioThatPassesDirectly()
    {
        await using var proxy = await ProxyProcess.StartAsync(["stdio", "--", "dotnet", Children.ConformanceDll, "--stdio"]);
        var result = await RunSuiteAsync(proxy, "active", ExpectedFailures);
        Assert.Contains("tools-call-simple-text: 1 passed, 0 failed", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("dns-rebinding-protection: 2 passed, 0 failed", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConformanceSuite_StdioChildStatefulForInitializeClients_PassesEveryScenario()
    {
        await using var proxy = await ProxyProcess.StartAsync(
            ["stdio", "--", "dotnet", Children.ConformanceDll, "--stdio"],
            new Dictionary<string, string> { [RuntimeContract.EnvironmentVariables.SessionMode] = "StatefulForInitializeClients" });
        var result = await RunSuiteAsync(proxy, "all", expectedFailures: null);
        Assert.Matches(@"Total: \d+ passed, 0 failed", result.StandardOutput);

        // Sampling and elicitation went from the child through the proxy to the suite's client and back.
        Assert.Contains("tools-call-sampling: 1 passed, 0 failed", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("tools-call-elicitation: 1 passed, 0 failed", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConformanceSuite_HttpUpstream_PassesEveryScenarioThatPassesDirectly()
    {
        var upstreamPort = LoopbackPorts.Next();
        using var upstream = StartHttpConformance(upstreamPort);
        try
        {
            await using var proxy = await ProxyProcess.StartAsync(["http", "--upstream", $"http://127.0.0.1:{upstreamPort}/mcp"]);
            // The server is stateless behind the proxy too, so exactly the scenarios that fail directly fail here.
            var direct = Path.Combine(Golden.RepoRoot(), "tests", "McpFleet.Hosting.Tests", "conformance-expected-failures.yml");
            var result = await RunSuiteAsync(proxy, "active", direct);
            Assert.Contains("tools-call-simple-text: 1 passed, 0 failed", result.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            upstream.Kill(entireProcessTree: true);
            await upstream.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    private static Process StartHttpConformance(int port)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Children.ConformanceDll);
        psi.Environment[RuntimeContract.EnvironmentVariables.ServerPort] = port.ToString(CultureInfo.InvariantCulture);
        psi.Environment[RuntimeContract.EnvironmentVariables.MetricsPort] = LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture);
        psi.Environment[RuntimeContract.EnvironmentVariables.ConfigPath] = Path.Combine(Golden.RepoRoot(), "servers", "Conformance", RuntimeContract.ConfigFileName);
        psi.Environment["McpFleet__BindAddress"] = "127.0.0.1";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(psi)!;
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<ToolResult> RunSuiteAsync(ProxyProcess proxy, string suite, string? expectedFailures)
    {
        List<string> args =
        [
            Path.Combine(ExternalTools.NodeModules, "@modelcontextprotocol", "conformance", "dist", "index.js"),
            "server", "--url", proxy.McpUrl.ToString(), "--suite", suite,
        ];
        if (expectedFailures is not null)
        {
            args.AddRange(["--expected-failures", expectedFailures]);
        }

        var workDir = Directory.CreateTempSubdirectory("mcpfleet-proxy-conformance-");
        try
        {
            var result = await ExternalTools.RunAsync(ExternalTools.Node, args, workingDirectory: workDir.FullName, timeout: TimeSpan.FromMinutes(4));
            Assert.True(result.ExitCode == 0, $"conformance suite failed ({result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}\nproxy:\n{proxy.Output}");
            return result;
        }
        finally
        {
            workDir.Delete(recursive: true);
        }
    }
}
