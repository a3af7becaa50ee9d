using System.Globalization;
using McpFleet.Cli.Tests.Processes;
using McpFleet.Local.Containers;
using McpFleet.Tests;
using ModelContextProtocol.Client;

namespace McpFleet.Cli.Tests.Commands;

/// <summary>
/// <c>mcpfleet up --containers</c> and <c>down --containers</c> as a real process against real Podman: the images of
/// eng/images.sh, real signals, and <c>podman pod ps</c> afterwards.
/// </summary>
[Collection(PodmanTests.Name)]
public sealed class UpContainersCommandTests(ContainerImages images) : IDisposable
{
    private static readonly TestServer s_conformance = new("conformance", "probes:\n  startupFailureThreshold: 15");
    private static readonly TestServer s_notes = new("notes", "dependsOn: [conformance]\nprobes:\n  startupFailureThreshold: 15");
    private readonly DirectoryInfo _fleet = Directory.CreateTempSubdirectory("mcpfleet-up-containers-");

    public void Dispose() => _fleet.Delete(recursive: true);

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task UpContainers_ConformanceAndNotes_ServeThroughThePublishedPortsAndASignalDrainsAndRemovesEveryPod(string signal)
    {
        var ns = WriteFleet(signal.ToLowerInvariant(), s_conformance, s_notes);
        await using var up = Up();
        await up.WaitForLineAsync("every server is ready");
        Assert.Contains(up.Lines, l => l.StartsWith("adapted: conformance: env POD_NAMESPACE: fieldRef metadata.namespace", StringComparison.Ordinal));
        Assert.Contains(up.Lines, l => l.StartsWith("not applied: NetworkPolicy/mcp-notes", StringComparison.Ordinal));
        Assert.True(up.Lines.ToList().FindIndex(l => l == "phase 1 p-conformance: ready") < up.Lines.ToList().FindIndex(l => l.StartsWith("notes: started pod", StringComparison.Ordinal)), up.Output);
        Assert.Equal(["conformance", "notes"], await PodServersAsync(ns));

        // Each server's published URL, as printed: tools/list through it.
        foreach (var (server, tools) in new[] { ("conformance", "test_simple_text"), ("notes", "notes_remote_echo") })
        {
            var url = (await up.WaitForLineAsync($"{server}: http://127.0.0.1:"))[(server.Length + 2)..];
            await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(url) }), cancellationToken: TestContext.Current.CancellationToken);
            Assert.Contains(tools, (await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Select(t => t.Name));
        }

        up.Signal(signal);
        var exit = await up.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.True(exit == 0, up.Output);
        var lines = up.Lines.ToList();
        Assert.True(lines.FindIndex(l => l.StartsWith("notes: stopped in", StringComparison.Ordinal)) < lines.FindIndex(l => l.StartsWith("conformance: stopped in", StringComparison.Ordinal)), up.Output);
        Assert.Contains(lines, l => l.StartsWith("conformance: stopped in", StringComparison.Ordinal) && l.EndsWith("exit code 0", StringComparison.Ordinal));
        Assert.Equal("every server stopped; pods, volumes and network removed", lines[^1]);
        Assert.Empty(await PodServersAsync(ns));
        Assert.False((await images.Podman.RunAsync(TestContext.Current.CancellationToken, "network", "exists", "mcpfleet-" + ns)).Success);
    }

    [Fact]
    public async Task DownContainers_AfterUpWasKilled_RemovesPodsVolumesAndNetwork_AndIsIdempotent()
    {
        var ns = WriteFleet("down", s_conformance);
        await using (var up = Up())
        {
            await up.WaitForLineAsync("every server is ready");
            up.Signal("KILL");
            await up.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(["conformance"], await PodServersAsync(ns));

        var down = await CliProcess.RunAsync(_fleet.FullName, "down", _fleet.FullName, "--containers");
        Assert.True(down.ExitCode == 0, down.Error);
        Assert.Contains($"removed pod mcp-conformance.{ns}", down.Error, StringComparison.Ordinal);
        Assert.Empty(await PodServersAsync(ns));
        var volumes = await images.Podman.RunAsync(TestContext.Current.CancellationToken, "volume", "ls", "--format", "{{.Name}}");
        Assert.DoesNotContain(ns, volumes.StandardOutput, StringComparison.Ordinal);
        Assert.False((await images.Podman.RunAsync(TestContext.Current.CancellationToken, "network", "exists", "mcpfleet-" + ns)).Success);

        var again = await CliProcess.RunAsync(_fleet.FullName, "down", _fleet.FullName, "--containers");
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains($"no pod of namespace {ns} was running", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpContainers_ServerCrashesAtStart_Exit3NamingServerAndReason_NoPodLeft()
    {
        var ns = WriteFleet("crash", new TestServer("conformance", "env:\n  McpFleet__ConfigPath: /app/config/missing.json"));
        await using var up = Up();
        var exit = await up.WaitForExitAsync(TimeSpan.FromSeconds(120));

        Assert.True(exit == 3, up.Output);
        Assert.Contains(up.Lines, l => l.StartsWith("error: conformance: crashed at start: exit code 2", StringComparison.Ordinal) && l.Contains("missing.json", StringComparison.Ordinal));
        Assert.Empty(await PodServersAsync(ns));
    }

    [Fact]
    public async Task UpContainers_SecretWithoutValue_Exit2NamingTheKey_NoPodOrNetworkLeft()
    {
        var ns = WriteFleet("secret", new TestServer("conformance", "secrets:\n  - name: MCPFLEET_TEST_UNSET_TOKEN\n    remoteRef: test/token"));
        File.WriteAllText(Path.Combine(_fleet.FullName, "..", $"{ns}.env"), "OTHER=1\n");
        await using var up = UpProcess.Start(_fleet.FullName, "up", _fleet.FullName, "--containers", "--any-port", "--env-file", $"../{ns}.env");
        var exit = await up.WaitForExitAsync(TimeSpan.FromSeconds(60));
        File.Delete(Path.Combine(_fleet.FullName, "..", $"{ns}.env"));

        Assert.True(exit == 2, up.Output);
        Assert.Contains("error: conformance: no value for secret MCPFLEET_TEST_UNSET_TOKEN: set it in the environment or in the env file", up.Lines);
        Assert.Empty(await PodServersAsync(ns));
        Assert.False((await images.Podman.RunAsync(TestContext.Current.CancellationToken, "network", "exists", "mcpfleet-" + ns)).Success);
        Assert.Empty(Directory.GetFiles(_fleet.FullName, "*.env", SearchOption.AllDirectories));
    }

    private string WriteFleet(string prefix, params TestServer[] servers)
    {
        var ns = ContainerFleets.UniqueNamespace("cli-" + prefix);
        ContainerFleets.Write(_fleet.FullName, ns, images.Registry, servers);
        return ns;
    }

    private UpProcess Up() => UpProcess.Start(_fleet.FullName, "up", _fleet.FullName, "--containers", "--any-port");

    /// <summary>The servers whose pods of <paramref name="ns"/> exist, running or not (<c>podman pod ps</c> lists both).</summary>
    private async Task<List<string>> PodServersAsync(string ns)
    {
        var pods = await images.Podman.RunAsync(TestContext.Current.CancellationToken, "pod", "ps", "--filter", $"label={PodmanManifestAdapter.NamespaceLabel}={ns}", "--format", "{{.Name}}");
        Assert.True(pods.Success, pods.Message);
        return [.. pods.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p["mcp-".Length..p.LastIndexOf('.' + ns, StringComparison.Ordinal)]).Order(StringComparer.Ordinal)];
    }
}

/// <summary><c>up --containers</c> and <c>down --containers</c> without Podman, and their bad input: no image needed.</summary>
public sealed class UpContainersInputTests : CliHarness
{
    public UpContainersInputTests()
        : base("mcpfleet-up-containers-input-") => ContainerFleets.Write(Temp, "input", "localhost:5000", new TestServer("conformance"));

    [Theory]
    [InlineData(new[] { "up", ".", "--local", "--containers" }, "error: --local and --containers cannot be used together: choose processes (--local) or Podman pods (--containers).")]
    [InlineData(new[] { "up", "." }, "error: up runs fleets on this machine: add --local (processes) or --containers (Podman pods); use 'mcpfleet deploy' for a cluster.")]
    [InlineData(new[] { "up", ".", "--local", "--env-file", "x.env" }, "error: --env-file applies to --containers: with --local the servers inherit your environment.")]
    [InlineData(new[] { "up", ".", "--containers", "--grace-period", "5" }, "error: --grace-period applies to --local: a pod has its terminationGracePeriodSeconds and its own network, and Podman keeps the logs ('podman logs').")]
    [InlineData(new[] { "down", "." }, "error: down removes what 'up --containers' started: add --containers ('up --local' stops with Ctrl-C).")]
    public async Task UpDown_BadOptions_Exit2WithOneLine(string[] args, string expected)
    {
        var run = await RunOnceAsync(Temp, args);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(expected, run.Error.Trim());
    }

    [Fact]
    public async Task UpContainers_MalformedEnvFile_Exit2NamingFileAndLine()
    {
        File.WriteAllText(Path.Combine(Temp, "secrets.env"), "# values\nnot a pair\n");
        var run = await RunOnceAsync(Temp, "up", ".", "--containers", "--env-file", "secrets.env");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("secrets.env:2:1: error MCI012: expected KEY=VALUE", run.Error.Trim(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("up", "--containers")]
    [InlineData("down", "--containers")]
    public async Task Containers_PodmanNotOnPath_Exit3WithOneLineSayingHowToInstall(string verb, string option)
    {
        // PATH holds only dotnet: the CLI runs, podman is not found.
        var bin = Directory.CreateDirectory(Path.Combine(Temp, "bin")).FullName;
        var dotnet = Path.Combine(bin, "dotnet");
        File.CreateSymbolicLink(dotnet, DotnetHost());
        using var process = CliProcess.Start(dotnet, [CliProcess.Dll, verb, Temp, option], Temp, new Dictionary<string, string?> { ["PATH"] = bin });
        var run = await CliProcess.WaitAsync(process);

        Assert.True(run.ExitCode == 3, run.Error);
        Assert.Equal($"error: {PodmanCli.MissingMessage}", run.Error.Trim());
        Assert.Contains("apt-get install podman runc", PodmanCli.MissingMessage, StringComparison.Ordinal);
        Assert.Contains("bash eng/tools.sh", PodmanCli.MissingMessage, StringComparison.Ordinal);
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host
            ? host
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, "dotnet")).First(File.Exists);
}
