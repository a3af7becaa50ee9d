using k8s.Models;
using McpFleet.Local.Containers;
using McpFleet.Rendering;
using McpFleet.Tests;

namespace McpFleet.Local.Tests.Containers;

/// <summary>What the adapter changes in rendered manifests, without a runtime.</summary>
public sealed class PodmanManifestAdapterTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("mcpfleet-adapter-");

    public void Dispose() => _dir.Delete(recursive: true);

    private RenderedFleet Fleet(string notesValues = "dependsOn: [conformance]") => TestFleets.Render(
        _dir.FullName, "demo", "localhost:5000", new TestServer("conformance"), new TestServer("notes", notesValues));

    private static V1Pod Pod(PodmanServerPlan server) =>
        ManifestYaml.LoadAll(server.Yaml).OfType<V1Pod>().Single();

    [Fact]
    public void Adapt_RenderedFleet_ReplacesFieldRefAndAddsEveryServiceNameAsHostAlias()
    {
        var errors = new List<string>();
        var plan = PodmanManifestAdapter.Adapt(Fleet(), new PodmanAdapterOptions { Subnet = "10.89.7.0/24" }, errors);

        Assert.Empty(errors);
        Assert.Equal(["10.89.7.10", "10.89.7.11"], plan.Servers.Select(s => s.Address));
        var notes = Pod(plan.Servers.Single(s => s.Name == "notes"));
        var container = Assert.Single(notes.Spec.Containers);
        var ns = Assert.Single(container.Env, e => e.Name == "POD_NAMESPACE");
        Assert.Equal("demo", ns.Value);
        Assert.Null(ns.ValueFrom);
        Assert.Contains(container.Env, e => e.Name == "CONFORMANCE_MCP_URL" && e.Value == "http://mcp-conformance.demo.svc.cluster.local:9001/mcp");
        var alias = Assert.Single(notes.Spec.HostAliases, a => a.Ip == "10.89.7.10");
        Assert.Equal(["mcp-conformance", "mcp-conformance.demo", "mcp-conformance.demo.svc", "mcp-conformance.demo.svc.cluster.local"], alias.Hostnames);
        Assert.Contains(plan.Adaptations, a => a.Server == "notes" && a.What.Contains("fieldRef metadata.namespace", StringComparison.Ordinal));
    }

    [Fact]
    public void Adapt_RenderedFleet_KeepsTheSecurityContextAndPublishesOnlyTheMcpPortOnLoopback()
    {
        var errors = new List<string>();
        var plan = PodmanManifestAdapter.Adapt(Fleet(), new PodmanAdapterOptions
        {
            Subnet = "10.89.7.0/24",
            HostPorts = new Dictionary<string, int> { ["conformance"] = 21001 },
        }, errors);

        var server = plan.Servers.First();
        var pod = Pod(server);
        var container = pod.Spec.Containers[0];
        Assert.Equal(65532, pod.Spec.SecurityContext.RunAsUser);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Equal("256Mi", container.Resources.Limits["memory"].ToString());
        var port = Assert.Single(container.Ports);
        Assert.Equal((21001, "127.0.0.1", 9001), (port.HostPort!.Value, port.HostIP, port.ContainerPort));
        Assert.Equal("Never", pod.Spec.RestartPolicy);
        Assert.Null(container.StartupProbe);
        Assert.Null(container.Lifecycle);
        Assert.Equal(TimeSpan.FromSeconds(60), server.ReadyTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), server.GracePeriod);
        Assert.Equal(["mcp-conformance-config.demo", "mcp-conformance.demo-tmp"], server.Volumes);
        Assert.Contains(plan.NotApplied, n => n == "NetworkPolicy/mcp-conformance");
        Assert.Contains(plan.NotApplied, n => n == "ServiceAccount/mcp-conformance");
    }

    [Fact]
    public void Adapt_AnyPort_PublishesEachServerNotGivenAPortOnAFreeLoopbackPort()
    {
        var errors = new List<string>();
        var plan = PodmanManifestAdapter.Adapt(Fleet(), new PodmanAdapterOptions
        {
            Subnet = "10.89.7.0/24",
            AnyPort = true,
            HostPorts = new Dictionary<string, int> { ["conformance"] = 21001 },
        }, errors);

        Assert.Empty(errors);
        Assert.Equal(21001, plan.Servers.Single(s => s.Name == "conformance").HostPort);
        var notes = plan.Servers.Single(s => s.Name == "notes");
        Assert.NotEqual(9002, notes.HostPort);
        Assert.Equal(notes.HostPort, Pod(notes).Spec.Containers[0].Ports[0].HostPort);
    }

    [Fact]
    public void Adapt_InitContainerMountingAPodVolume_GetsTheRenamedVolumeToo()
    {
        // The proxy's init container (docs/containers.md) fills an emptyDir that the server container runs from.
        var fleet = Fleet();
        var spec = fleet.Servers.Single(s => s.Name == "conformance").Find<k8s.Models.V1Deployment>()!.Spec.Template.Spec;
        spec.Volumes.Add(new V1Volume { Name = "mcpfleet", EmptyDir = new V1EmptyDirVolumeSource() });
        spec.InitContainers = [new V1Container { Name = "proxy", Image = "localhost:5000/mcpfleet/proxy:v0.1.0", VolumeMounts = [new V1VolumeMount { Name = "mcpfleet", MountPath = "/mcpfleet" }] }];
        spec.Containers[0].VolumeMounts.Add(new V1VolumeMount { Name = "mcpfleet", MountPath = "/mcpfleet", ReadOnlyProperty = true });

        var errors = new List<string>();
        var plan = PodmanManifestAdapter.Adapt(fleet, new PodmanAdapterOptions { Subnet = "10.89.7.0/24" }, errors);

        Assert.Empty(errors);
        var pod = Pod(plan.Servers.Single(s => s.Name == "conformance"));
        Assert.Contains(pod.Spec.Volumes, v => v.Name == "mcp-conformance.demo-mcpfleet");
        Assert.Equal("mcp-conformance.demo-mcpfleet", Assert.Single(pod.Spec.InitContainers[0].VolumeMounts).Name);
        Assert.Contains(pod.Spec.Containers[0].VolumeMounts, m => m.Name == "mcp-conformance.demo-mcpfleet" && m.MountPath == "/mcpfleet");
    }

    [Fact]
    public void Adapt_ServerWithSecrets_TakesValuesFromTheLocalSourceOrNamesTheMissingOnes()
    {
        const string values = "secrets:\n  - name: NOTES_TOKEN\n    remoteRef: notes/token";
        var errors = new List<string>();
        PodmanManifestAdapter.Adapt(Fleet(values), new PodmanAdapterOptions { Subnet = "10.89.7.0/24" }, errors);
        Assert.Equal(["notes: no value for secret NOTES_TOKEN: set it in the environment or in the env file"], errors);

        errors.Clear();
        var plan = PodmanManifestAdapter.Adapt(Fleet(values), new PodmanAdapterOptions
        {
            Subnet = "10.89.7.0/24",
            Secrets = new Dictionary<string, string> { ["NOTES_TOKEN"] = "s3cret" },
        }, errors);
        Assert.Empty(errors);
        var container = Pod(plan.Servers.Single(s => s.Name == "notes")).Spec.Containers[0];
        Assert.Null(container.EnvFrom);
        Assert.Contains(container.Env, e => e.Name == "NOTES_TOKEN" && e.Value == "s3cret");
        Assert.Contains(plan.NotApplied, n => n.StartsWith("ExternalSecret/mcp-notes-secrets", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Adaptations, a => a.What.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void Adapt_SubnetTooSmall_IsAnError()
    {
        var errors = new List<string>();
        PodmanManifestAdapter.Adapt(Fleet(), new PodmanAdapterOptions { Subnet = "10.89.7.0/29" }, errors);
        Assert.Equal(["the subnet 10.89.7.0/29 has no room for 2 pods from its host 10 on"], errors);
    }
}
