using k8s.Models;
using McpFleet.Rendering;
using McpFleet.Spec;
using McpFleet.Tests;

namespace McpFleet.Core.Tests.Rendering;

/// <summary>The gateway of a fleet as Kubernetes objects: examples/sophia-ai-gateway.</summary>
public sealed class GatewayRenderingTests
{
    private static RenderedFleet Example() => FleetRenderer.Render(FleetCases.Example("sophia-ai-gateway"));

    [Fact]
    public void Build_GatewayExample_MatchesGoldenFiles()
    {
        var rendered = Example();
        var files = ManifestTree.Build(rendered).Where(f => f.RelativePath.StartsWith("gateway/", StringComparison.Ordinal)).ToList();

        Assert.Equal(["gateway/Kustomization", "gateway/gateway.yaml"], files.Select(f => f.RelativePath));
        foreach (var file in files)
        {
            Golden.Match($"Snapshots/sophia-ai-gateway/{file.RelativePath}", file.Content);
        }

        // The config on its own: McpFleet.Gateway.Tests loads this file with the gateway's own loader.
        Golden.Match("Snapshots/sophia-ai-gateway/gateway.json", GatewayConfigJson.Build(rendered.Fleet.Gateway!));
    }

    [Fact]
    public void Build_GatewayExample_ServersAreUnchangedAndRootListsTheGatewayLast()
    {
        var withGateway = ManifestTree.Build(Example());
        var without = ManifestTree.Build(FleetRenderer.Render(FleetCases.Example("sophia-ai")));

        Assert.Equal(without.Where(f => f.RelativePath.StartsWith("phase-", StringComparison.Ordinal)), withGateway.Where(f => f.RelativePath.StartsWith("phase-", StringComparison.Ordinal)));
        Assert.EndsWith("- phase-4-advanced\n- gateway\n", withGateway[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_PhaseFilter_KeepsTheGatewayOnlyForItsOwnStep()
    {
        var rendered = Example();

        Assert.DoesNotContain(ManifestTree.Build(rendered, phase: 4), f => f.RelativePath.StartsWith("gateway/", StringComparison.Ordinal));
        Assert.Equal(
            ["Kustomization", "namespace.yaml", "gateway/Kustomization", "gateway/gateway.yaml"],
            ManifestTree.Build(rendered, phase: 5).Select(f => f.RelativePath));
    }

    [Fact]
    public void Render_Gateway_ObjectsAreThoseOfAServerNamedMcpGateway()
    {
        var gateway = Example().Gateway!;

        Assert.Equal(
            ["ServiceAccount", "ConfigMap", "ExternalSecret", "Service", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy"],
            gateway.Objects.Select(o => o.Kind));
        Assert.All(gateway.Objects, o => Assert.StartsWith("mcp-gateway", o.Metadata.Name, StringComparison.Ordinal));
        Assert.All(gateway.Objects, o => Assert.Equal("mcp-gateway", o.Metadata.Labels["app.kubernetes.io/component"]));
        Assert.False(gateway.Find<V1ServiceAccount>()!.AutomountServiceAccountToken);
    }

    [Fact]
    public void Render_GatewayDeployment_RunsTheConfigHardenedWithChecksumAndKeysFromTheExternalSecret()
    {
        var gateway = Example().Gateway!;
        var deployment = gateway.Find<V1Deployment>()!;
        var pod = deployment.Spec.Template;
        var container = pod.Spec.Containers.Single();
        var config = gateway.Find<V1ConfigMap>()!.Data[GatewayConfigJson.FileName];

        Assert.Null(deployment.Spec.Replicas);
        Assert.Equal(["--config", "/app/config/gateway.json"], container.Args);
        Assert.Equal($"scoobyjava15/mcpfleet/gateway:v{FleetDefaults.Version}", container.Image);
        Assert.Equal(ServerConfigJson.Checksum(config), pod.Metadata.Annotations[RuntimeContract.Labels.ConfigChecksumAnnotation]);
        Assert.Equal(RuntimeContract.HealthPath, container.LivenessProbe.HttpGet.Path);
        Assert.Equal(RuntimeContract.ReadyPath, container.ReadinessProbe.HttpGet.Path);
        Assert.Equal(RuntimeContract.Shutdown.PreStopSleepSeconds, container.Lifecycle.PreStop.Sleep.Seconds);
        Assert.Equal(RuntimeContract.Shutdown.TerminationGracePeriodSeconds, pod.Spec.TerminationGracePeriodSeconds);
        Assert.Equal([RuntimeContract.McpPortName, RuntimeContract.MetricsPortName], container.Ports.Select(p => p.Name));
        Assert.Equal(9020, container.Ports[0].ContainerPort);
        PodSecurityAssert.Restricted("mcp-gateway", pod);

        // The fleet's server env (PULUMI_ORG) is not the gateway's business; its keys come only through envFrom.
        Assert.DoesNotContain(container.Env, e => e.Name == "PULUMI_ORG");
        Assert.Equal("mcp-gateway-secrets", container.EnvFrom.Single().SecretRef.Name);
        Assert.Equal(
            [("MCPFLEET_GATEWAY_SESSION_KEY", "sophia.gateway.session_key"), ("MCPFLEET_GATEWAY_API_KEY_SOPHIA_BACKEND", "sophia.gateway.keys.sophia_backend")],
            gateway.Find<ExternalSecret>()!.Spec.Data.Select(d => (d.SecretKey, d.RemoteRef.Key)));
        Assert.Contains("\"keyEnv\": \"MCPFLEET_GATEWAY_SESSION_KEY\"", config, StringComparison.Ordinal);
        Assert.DoesNotContain("sophia.gateway", config, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NetworkPolicies_CallersReachTheGatewayAndTheGatewayReachesEachFrontedServer()
    {
        var rendered = Example();
        var gateway = rendered.Gateway!;
        var gatewayPolicy = gateway.Find<V1NetworkPolicy>()!;
        var gatewayPod = gateway.Find<V1Deployment>()!.Spec.Template.Metadata.Labels;
        var backendPod = new Dictionary<string, string> { ["app"] = "sophia-backend" };

        // Ingress: the callers (sophia-backend) on the gateway's MCP port.
        var mcpIngress = gatewayPolicy.Spec.Ingress[0];
        Assert.Equal("9020", mcpIngress.Ports.Single().Port.Value);
        Assert.Contains(mcpIngress.FromProperty, peer => Matches(peer.PodSelector, backendPod));

        // Egress: each fronted server on its own port, nothing else in the cluster but DNS.
        foreach (var upstream in rendered.Fleet.Gateway!.Upstreams)
        {
            Assert.Contains(gatewayPolicy.Spec.Egress, rule =>
                rule.To.Any(peer => peer.PodSelector?.MatchLabels is { } m && m.TryGetValue("app", out var app) && app == "mcp-" + upstream.Server)
                && rule.Ports.Single().Port.Value == upstream.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

            // Each fronted server's own policy admits the gateway's pods on its MCP port.
            var serverPolicy = rendered.Servers.Single(s => s.Name == upstream.Server).Find<V1NetworkPolicy>()!;
            Assert.Contains(serverPolicy.Spec.Ingress, rule =>
                rule.Ports.Any(p => p.Port.Value == upstream.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)) && rule.FromProperty.Any(peer => Matches(peer.PodSelector, gatewayPod)));
        }

        Assert.Equal(1 + 16 + 1, gatewayPolicy.Spec.Egress.Count);
        Assert.Equal("0.0.0.0/0", gatewayPolicy.Spec.Egress[^1].To.Single().IpBlock.Cidr);
        Assert.Equal("443", gatewayPolicy.Spec.Egress[^1].Ports.Single().Port.Value);
    }

    [Fact]
    public void Render_GatewayWithoutKeysOrAutoscaling_HasNoExternalSecretNoHpaAndFixedReplicas()
    {
        var fleet = FleetCases.Example("sophia-ai");
        var gateway = new ResolvedGateway
        {
            Spec = new GatewaySpec(),
            Phase = 5,
            Image = "gw:v1",
            Port = 9020,
            Replicas = 2,
            Resources = FleetDefaults.GatewayResources,
            Upstreams = [new ResolvedUpstream("github", 9002, RuntimeContract.ServiceUrl("github", "sophia-ai", 9002), "github", null, null, false)],
        };

        var rendered = FleetRenderer.RenderGateway(fleet, gateway);

        Assert.Equal(["ServiceAccount", "ConfigMap", "Service", "Deployment", "PodDisruptionBudget", "NetworkPolicy"], rendered.Objects.Select(o => o.Kind));
        Assert.Equal(2, rendered.Find<V1Deployment>()!.Spec.Replicas);
        Assert.Null(rendered.Find<V1Deployment>()!.Spec.Template.Spec.Containers.Single().EnvFrom);
        Assert.Equal(
            "{\n  \"upstreams\": [\n    {\n      \"name\": \"github\",\n      \"url\": \"http://mcp-github.sophia-ai.svc.cluster.local:9002/mcp\"\n    }\n  ]\n}\n",
            rendered.Find<V1ConfigMap>()!.Data[GatewayConfigJson.FileName]);
    }

    private static bool Matches(V1LabelSelector? selector, IDictionary<string, string> labels) =>
        selector?.MatchLabels is { } match && match.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
