using k8s.Models;
using McpFleet.Rendering;
using McpFleet.Spec;
using McpFleet.Tests;
using static McpFleet.Core.Tests.Rendering.TestFleets;

namespace McpFleet.Core.Tests.Rendering;

public sealed class ProxyRenderingTests
{
    private static readonly RenderedFleet s_fleet = FleetRenderer.Render(Proxied());

    private static V1PodSpec Pod(string name) => s_fleet.Servers.Single(s => s.Name == name).Find<V1Deployment>()!.Spec.Template.Spec;

    [Fact]
    public void Render_ProxiedFleet_MatchesGoldenYaml()
    {
        foreach (var server in s_fleet.Servers)
        {
            Golden.Match($"Snapshots/proxy/{server.Name}.yaml", ManifestYaml.SerializeAll(server.Objects));
        }
    }

    [Fact]
    public void Render_StdioServer_RunsItsCommandUnderTheInstalledProxy()
    {
        var pod = Pod("github");
        var install = Assert.Single(pod.InitContainers);
        var server = Assert.Single(pod.Containers);

        Assert.Equal(("mcpfleet-proxy-install", "scoobyjava15/mcpfleet/proxy:v0.1.0"), (install.Name, install.Image));
        Assert.Equal(["install", "/mcpfleet"], install.Args);
        Assert.Null(install.RestartPolicy);
        Assert.Equal(("mcpfleet", "/mcpfleet", null), (install.VolumeMounts.Single().Name, install.VolumeMounts.Single().MountPath, install.VolumeMounts.Single().ReadOnlyProperty));
        Assert.Equal(["/mcpfleet/mcpfleet-proxy"], server.Command);
        Assert.Equal(
            ["stdio", "--max-concurrency", "16", "--request-timeout", "60s", "--initialize-timeout", "45s", "--stop-timeout", "10s", "--", "npx", "mcp-server-github", "--toolsets", "repos"],
            server.Args);
        Assert.Contains(server.VolumeMounts, m => m is { Name: "mcpfleet", MountPath: "/mcpfleet", ReadOnlyProperty: true });
        Assert.Contains(pod.Volumes, v => v.Name == "mcpfleet" && v.EmptyDir is not null);
    }

    [Fact]
    public void Render_StdioServer_KeepsPortsProbesEnvAndSecretsOfAnyServer()
    {
        var server = Pod("github").Containers.Single();

        Assert.Equal(["mcp", "metrics"], server.Ports.Select(p => p.Name));
        Assert.Equal(9002, server.Ports[0].ContainerPort);
        Assert.Equal(("/health", "/health", "/ready"), (server.StartupProbe.HttpGet.Path, server.LivenessProbe.HttpGet.Path, server.ReadinessProbe.HttpGet.Path));
        Assert.Equal("9002", server.Env.Single(e => e.Name == "SERVER_PORT").Value);
        Assert.Equal("mcp-github-secrets", server.EnvFrom.Single().SecretRef.Name);
    }

    [Fact]
    public void Render_HttpServerBehindProxy_SidecarServesPortsAndProbesServerListensOnUpstreamPort()
    {
        var pod = Pod("atlassian");
        var sidecar = Assert.Single(pod.InitContainers);
        var server = Assert.Single(pod.Containers);

        Assert.Equal(("mcpfleet-proxy", "Always"), (sidecar.Name, sidecar.RestartPolicy));
        Assert.Null(sidecar.Command);
        Assert.Equal(["http", "--upstream", "http://127.0.0.1:8080/mcp", "--request-timeout", "2m"], sidecar.Args);
        Assert.Equal(["mcp", "metrics"], sidecar.Ports.Select(p => p.Name));
        Assert.Equal(("/health", "/ready"), (sidecar.LivenessProbe.HttpGet.Path, sidecar.ReadinessProbe.HttpGet.Path));
        Assert.Equal("9004", sidecar.Env.Single(e => e.Name == "SERVER_PORT").Value);
        Assert.Equal("mcp-atlassian-secrets", sidecar.EnvFrom.Single().SecretRef.Name);

        Assert.Null(server.Ports);
        Assert.Null(server.LivenessProbe);
        Assert.Null(server.ReadinessProbe);
        Assert.Null(server.StartupProbe);
        Assert.Equal("8080", server.Env.Single(e => e.Name == "SERVER_PORT").Value);
        Assert.DoesNotContain(server.Env, e => e.Name == "METRICS_PORT");
        Assert.Equal(["--transport", "streamable-http", "--port", "8080"], server.Args);
        Assert.DoesNotContain(pod.Volumes, v => v.Name == "mcpfleet");
    }

    [Fact]
    public void Render_ServiceOfProxiedServer_TargetsTheNamedPortsTheProxyServes()
    {
        var service = s_fleet.Servers.Single(s => s.Name == "atlassian").Find<V1Service>()!;

        Assert.Equal(["mcp", "metrics"], service.Spec.Ports.Select(p => p.TargetPort.Value));
        Assert.Contains(Pod("atlassian").InitContainers.Single().Ports, p => p.Name == "mcp" && p.ContainerPort == 9004);
    }

    [Fact]
    public void Render_ServerWithOwnProbePaths_HasNoProxyAndProbesItsPaths()
    {
        var pod = Pod("kubernetes");
        var server = pod.Containers.Single();

        Assert.Null(pod.InitContainers);
        Assert.Equal(("/healthz", "/healthz", "/readyz"), (server.StartupProbe.HttpGet.Path, server.LivenessProbe.HttpGet.Path, server.ReadinessProbe.HttpGet.Path));
    }

    [Fact]
    public void Render_EveryProxyContainer_IsHardenedLikeTheServer()
    {
        foreach (var server in s_fleet.Servers)
        {
            var template = server.Find<V1Deployment>()!.Spec.Template;
            PodSecurityAssert.Restricted(server.Name, template);
            foreach (var container in template.Spec.InitContainers ?? [])
            {
                Assert.Equal(
                    ManifestYaml.SerializeAll([new V1Pod { Spec = new V1PodSpec { Containers = [new V1Container { Name = "x", SecurityContext = template.Spec.Containers[0].SecurityContext }] } }]),
                    ManifestYaml.SerializeAll([new V1Pod { Spec = new V1PodSpec { Containers = [new V1Container { Name = "x", SecurityContext = container.SecurityContext }] } }]));
                Assert.Equal("IfNotPresent", container.ImagePullPolicy);
                Assert.Equal(("50m", "256Mi"), (container.Resources.Requests["cpu"].ToString(), container.Resources.Limits["memory"].ToString()));
            }
        }
    }
}
