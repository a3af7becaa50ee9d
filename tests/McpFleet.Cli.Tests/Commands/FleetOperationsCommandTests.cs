using System.Text.Json.Nodes;
using k8s.Models;
using McpFleet.Cli;
using McpFleet.Kubernetes.Tests;
using McpFleet.Tests;
using Spectre.Console.Testing;

namespace McpFleet.Cli.Tests.Commands;

/// <summary>deploy, status, smoke and up end to end: the real CLI, loader, renderer and KubernetesClient against the fake API server.</summary>
public sealed class FleetOperationsCommandTests() : CliHarness("mcpfleet-ops-")
{
    private const string Ns = "sophia-ai";
    private string Kubeconfig(FakeApiServer api)
    {
        var path = Path.Combine(Temp, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {api.BaseUri.ToString().TrimEnd('/')}
            users:
            - name: fake
              user:
                token: test-token
            contexts:
            - name: fake
              context:
                cluster: fake
                user: fake
            current-context: fake
            """);
        return path;
    }

    [Fact]
    public async Task Status_ContextOption_PicksThatContextOfTheKubeconfig()
    {
        await using var api = await FakeApiServer.StartAsync();
        var path = Kubeconfig(api);
        // A second context, current, whose server does not exist: only --context fake reaches the fake API server.
        File.WriteAllText(path, File.ReadAllText(path)
            .Replace("current-context: fake", "current-context: dead", StringComparison.Ordinal)
            .Replace("contexts:\n", "contexts:\n- name: dead\n  context:\n    cluster: dead\n    user: fake\n", StringComparison.Ordinal)
            .Replace("clusters:\n", "clusters:\n- name: dead\n  cluster:\n    server: http://127.0.0.1:1\n", StringComparison.Ordinal));

        var viaCurrent = await RunAsync(Temp, "status", Example, "--kubeconfig", path);
        var viaContext = await RunAsync(Temp, "status", Example, "--kubeconfig", path, "--context", "fake");

        Assert.Equal(3, viaCurrent);
        Assert.Contains("error: the cluster failed", StdErr.Output, StringComparison.Ordinal);
        Assert.Equal(1, viaContext);
        Assert.Contains(api.Requests, r => r.Path == "/apis/apps/v1/namespaces/sophia-ai/deployments");
    }

    [Fact]
    public async Task Deploy_MissingKubeconfig_Exits2()
    {
        var exit = await RunAsync(Temp, "deploy", Example, "--kubeconfig", Path.Combine(Temp, "missing"));

        Assert.Equal(2, exit);
        Assert.Contains("error: cannot read the kubeconfig", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_ExampleFleet_AppliesAllPhasesInOrderAndExits0()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.AutoRollout();

        var exit = await RunAsync(Temp, "deploy", Example, "--kubeconfig", Kubeconfig(api));

        Assert.True(exit == 0, StdErr.Output);
        Assert.Contains("deployed phases 1, 2, 3, 4 to namespace sophia-ai", StdErr.Output, StringComparison.Ordinal);
        Assert.Contains("phase 1 core: available", StdErr.Output, StringComparison.Ordinal);
        var patches = api.Requests.Where(r => r.Method == "PATCH").ToList();
        Assert.All(patches, p => Assert.Equal("mcpfleet", p.Query["fieldManager"]));
        Assert.Contains(patches, p => p.Path.StartsWith("/apis/external-secrets.io/v1/namespaces/sophia-ai/externalsecrets/", StringComparison.Ordinal));
        var phases = api.Timeline.Where(t => t.StartsWith("apply Deployment/", StringComparison.Ordinal)).ToList();
        Assert.Equal(16, phases.Count);
    }

    [Fact]
    public async Task Deploy_RolloutStuck_Exits3WithTheFailureReport()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.OnApplied = (_, obj) =>
        {
            if (obj["kind"]!.GetValue<string>() == "Deployment")
            {
                var name = obj["metadata"]!["name"]!.GetValue<string>();
                api.MarkStuck(Ns, name);
                api.Put($"/api/v1/namespaces/{Ns}/pods", new V1Pod
                {
                    ApiVersion = "v1", Kind = "Pod",
                    Metadata = new V1ObjectMeta { Name = name + "-abc", NamespaceProperty = Ns, Labels = new Dictionary<string, string> { ["app"] = name } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "x" }] },
                    Status = new V1PodStatus
                    {
                        Phase = "Pending",
                        ContainerStatuses = [new V1ContainerStatus { Name = "c", Image = "x", ImageID = "", Ready = false, RestartCount = 0, State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ImagePullBackOff" } } }],
                    },
                });
            }
        };

        var exit = await RunAsync(Temp, "deploy", Example, "--kubeconfig", Kubeconfig(api), "--timeout", "1s");

        Assert.Equal(3, exit);
        Assert.Contains("error: phase 1 (core) failed: timed out after 1s", StdErr.Output, StringComparison.Ordinal);
        Assert.Contains("Pending: ImagePullBackOff", StdErr.Output, StringComparison.Ordinal);
        // Phase 1 (core) has 4 servers; no later phase was applied.
        Assert.Equal(4, api.Timeline.Count(t => t.StartsWith("apply Deployment/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Deploy_PruneYes_DeletesOnlyTheDroppedObjectOfThisFleet()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.AutoRollout();
        var labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "mcpfleet", ["app.kubernetes.io/part-of"] = "sophia-ai" };
        api.Put($"/api/v1/namespaces/{Ns}/configmaps", new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "mcp-retired-config", NamespaceProperty = Ns, Labels = labels } });
        api.Put($"/api/v1/namespaces/{Ns}/configmaps", new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "someone-else", NamespaceProperty = Ns } });

        var exit = await RunAsync(Temp, "deploy", Example, "--kubeconfig", Kubeconfig(api), "--prune", "--yes");

        Assert.True(exit == 0, StdErr.Output);
        Assert.Contains("deleted ConfigMap/mcp-retired-config", StdErr.Output, StringComparison.Ordinal);
        Assert.Equal(["delete ConfigMap/mcp-retired-config"], api.Timeline.Where(t => t.StartsWith("delete", StringComparison.Ordinal)));
        Assert.NotNull(api.Get($"/api/v1/namespaces/{Ns}/configmaps/someone-else"));
    }

    [Fact]
    public async Task Deploy_DryRunServer_SendsDryRunAllAndStoresNothing()
    {
        await using var api = await FakeApiServer.StartAsync();

        var exit = await RunAsync(Temp, "deploy", Example, "--kubeconfig", Kubeconfig(api), "--dry-run=server");

        Assert.True(exit == 0, StdErr.Output);
        Assert.All(api.Requests.Where(r => r.Method == "PATCH"), p => Assert.Equal("All", p.Query["dryRun"]));
        Assert.Empty(api.Paths());
        Assert.Contains("dry run (server)", StdErr.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--prune")]
    [InlineData("--phase", "1", "--from-phase", "2")]
    [InlineData("--timeout", "soon")]
    [InlineData("--phase", "9")]
    public async Task Deploy_InvalidOptions_Exits2BeforeTouchingTheCluster(params string[] options)
    {
        await using var api = await FakeApiServer.StartAsync();

        var exit = await RunAsync(Temp, ["deploy", Example, "--kubeconfig", Kubeconfig(api), .. options]);

        Assert.Equal(2, exit);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task Status_AfterDeploy_TableJsonAndExitCodes()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.AutoRollout();
        var kubeconfig = Kubeconfig(api);
        Assert.Equal(0, await RunAsync(Temp, "deploy", Example, "--kubeconfig", kubeconfig));

        Assert.Equal(0, await RunAsync(Temp, "status", Example, "--kubeconfig", kubeconfig));
        Assert.Contains("PHASE 1 core", StdOut.Output, StringComparison.Ordinal);
        Assert.Contains("SERVER", StdOut.Output, StringComparison.Ordinal);
        Assert.Contains("scoobyjava15/mcp-ai-memory:v", StdOut.Output, StringComparison.Ordinal);

        api.MarkStuck(Ns, "mcp-github");
        var before = StdOut.Output.Length;
        Assert.Equal(1, await RunAsync(Temp, "status", Example, "--kubeconfig", kubeconfig, "-o", "json"));
        var json = JsonNode.Parse(StdOut.Output[before..])!;
        Assert.False(json["ready"]!.GetValue<bool>());
        var github = json["phases"]!.AsArray().SelectMany(p => p!["servers"]!.AsArray()).Single(s => s!["server"]!.GetValue<string>() == "github")!;
        Assert.False(github["isReady"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Smoke_OneServerListsTooFewTools_Exits3AndNamesIt()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.AutoRollout();
        var kubeconfig = Kubeconfig(api);
        Assert.Equal(0, await RunAsync(Temp, "deploy", Example, "--kubeconfig", kubeconfig, "--phase", "1"));
        foreach (var path in api.Paths().Where(p => p.EndsWith("-config", StringComparison.Ordinal)))
        {
            var cm = api.Get(path)!;
            var tools = JsonNode.Parse(cm["data"]!["server-config.json"]!.GetValue<string>())!["tools"]!.GetValue<int>();
            var service = cm["metadata"]!["name"]!.GetValue<string>()[..^"-config".Length];
            api.Services[service] = new FakeMcpServer(service == "mcp-github" ? tools - 1 : tools);
        }

        var exit = await RunAsync(Temp, "smoke", Example, "--kubeconfig", kubeconfig, "--phase", "1");

        Assert.Equal(3, exit);
        var github = StdOut.Lines.Single(l => l.StartsWith("github ", StringComparison.Ordinal));
        Assert.Contains("tools/list returned", github, StringComparison.Ordinal);
        Assert.Contains(StdOut.Lines, l => l.StartsWith("ai-memory ", StringComparison.Ordinal) && l.EndsWith(" ok", StringComparison.Ordinal));
        Assert.Contains("1 of 4 servers failed the smoke check", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusLocal_NothingRunning_Exits1()
    {
        var exit = await RunAsync(Temp, "status", Example, "--local");

        Assert.Equal(1, exit);
        Assert.Contains("no 'mcpfleet up --local' is running", StdErr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpLocal_ConformanceServer_RunsUntilCancelledAndStatusLocalShowsIt()
    {
        var fleet = Path.Combine(Temp, "fleet");
        Directory.CreateDirectory(Path.Combine(fleet, "values"));
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(Golden.RepoRoot(), "servers", "Conformance", "bin", configuration, "net10.0", "McpFleet.Servers.Conformance.dll");
        File.WriteAllText(Path.Combine(fleet, "fleet.yaml"), """
            namespace: local
            env:
              McpFleet__BindAddress: 127.0.0.1
              McpFleet__DrainDelay: "00:00:01"
            callers:
              app: backend
            phases:
              - name: core
                servers: [conformance]
            """);
        File.WriteAllText(Path.Combine(fleet, "values", "conformance.yaml"), $"""
            name: conformance
            port: 9001
            version: "1.0.0"
            tools: 15
            description: Conformance scenarios
            run:
              command: dotnet
              args: ["{dll}"]
            """);
        using var upOut = new TestConsole();
        using var upError = new TestConsole();
        using var stop = new CancellationTokenSource();
        var up = McpFleetCli.RunAsync(["up", fleet, "--local", "--any-port", "--quiet"], Context(upOut, upError, Temp), stop.Token);
        var stateFile = McpFleet.Local.State.LocalState.DefaultPath(fleet);
        using (var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (McpFleet.Local.State.LocalState.Read(stateFile) is not { } state || !state.Servers.All(s => s.Ready))
            {
                Assert.False(up.IsCompleted, upError.Output);
                await Task.Delay(100, bound.Token);
            }
        }

        var status = await RunAsync(Temp, "status", fleet, "--local");
        await stop.CancelAsync();
        var exit = await up.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(0, status);
        Assert.Contains("PHASE 1 core", StdOut.Output, StringComparison.Ordinal);
        Assert.Contains(StdOut.Lines, l => l.StartsWith("conformance ", StringComparison.Ordinal) && l.EndsWith(" ready", StringComparison.Ordinal));
        Assert.True(exit == 0, upError.Output);
        Assert.Contains("every server stopped", upError.Output, StringComparison.Ordinal);
        Assert.Equal(1, await RunAsync(Temp, "status", fleet, "--local"));
    }

    [Fact]
    public async Task Up_WithoutLocal_Exits2()
    {
        Assert.Equal(2, await RunAsync(Temp, "up", Example));
    }
}
