using McpFleet.Local.Containers;
using McpFleet.Rendering;
using McpFleet.Spec;
using McpFleet.Tests;

namespace McpFleet.Local.Tests.Containers;

/// <summary>Writes small fleets of the reference servers, renders and adapts them, and runs them in Podman.</summary>
internal static class TestFleets
{
    /// <summary>Writes a fleet with one phase per server, in order, using the images' registry.</summary>
    public static RenderedFleet Render(string directory, string ns, string registry, params TestServer[] servers)
    {
        ContainerFleets.Write(directory, ns, registry, servers);
        var loaded = FleetLoader.Load(directory);
        Assert.True(loaded.Success, string.Join("\n", loaded.Diagnostics));
        return FleetRenderer.Render(FleetResolver.Resolve(loaded.Spec!));
    }
}

/// <summary>Records what the runner reports.</summary>
internal sealed class RecordingProgress : IContainerProgress
{
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public void ServerEvent(string server, string message)
    {
        lock (_lock)
        {
            _lines.Add($"{server}: {message}");
        }
    }

    public void PhaseReady(PodmanPhasePlan phase)
    {
        lock (_lock)
        {
            _lines.Add($"phase {phase.Number} ready");
        }
    }
}

/// <summary>A fleet started in Podman for a test; <see cref="DisposeAsync"/> removes its pods, volumes and network.</summary>
internal sealed class RunningFleet : IAsyncDisposable
{
    private readonly DirectoryInfo _directory;

    private RunningFleet(DirectoryInfo directory, PodmanFleetPlan plan, PodmanFleetRunner runner, RecordingProgress progress, ContainerStartResult start)
    {
        _directory = directory;
        Plan = plan;
        Runner = runner;
        Progress = progress;
        Start = start;
    }

    public PodmanFleetPlan Plan { get; }

    public PodmanFleetRunner Runner { get; }

    public RecordingProgress Progress { get; }

    public ContainerStartResult Start { get; }

    public PodmanServerPlan Server(string name) => Plan.Servers.Single(s => s.Name == name);

    public Uri McpUrl(string name) => new($"http://127.0.0.1:{Server(name).HostPort}{RuntimeContract.McpPath}");

    /// <summary>Renders, adapts and starts a fleet; the caller checks <see cref="Start"/>.</summary>
    public static Task<RunningFleet> StartAsync(ContainerImages images, string prefix, params TestServer[] servers) =>
        StartAsync(images, prefix, _ => { }, new Dictionary<string, string>(StringComparer.Ordinal), servers);

    /// <summary>Renders a fleet, changes its objects with <paramref name="patch"/>, adapts it with <paramref name="imageOverrides"/> and starts it.</summary>
    public static async Task<RunningFleet> StartAsync(ContainerImages images, string prefix, Action<RenderedFleet> patch, IReadOnlyDictionary<string, string> imageOverrides, params TestServer[] servers)
    {
        var ns = ContainerFleets.UniqueNamespace(prefix);
        var directory = Directory.CreateTempSubdirectory("mcpfleet-containers-");
        var rendered = TestFleets.Render(directory.FullName, ns, images.Registry, servers);
        patch(rendered);
        var progress = new RecordingProgress();
        var runner = new PodmanFleetRunner(images.Podman, progress, TimeProvider.System);
        var ct = TestContext.Current.CancellationToken;
        var network = "mcpfleet-" + ns;
        var subnet = await runner.EnsureNetworkAsync(network, ns, ct);
        var errors = new List<string>();
        var plan = PodmanManifestAdapter.Adapt(rendered, new PodmanAdapterOptions
        {
            Network = network,
            Subnet = subnet,
            HostPorts = servers.ToDictionary(s => s.Name, _ => LoopbackPorts.Next(), StringComparer.Ordinal),
            Images = imageOverrides,
        }, errors);
        Assert.Empty(errors);
        var fleet = new RunningFleet(directory, plan, runner, progress, await runner.StartAsync(plan, ct));
        return fleet;
    }

    public async ValueTask DisposeAsync()
    {
        await Runner.DownAsync(Plan.Namespace, Plan.Network, CancellationToken.None);
        _directory.Delete(recursive: true);
    }
}
