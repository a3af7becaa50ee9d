using k8s.Models;
using McpFleet.Rendering;
using McpFleet.Spec;
using McpFleet.Tests;
using static McpFleet.Core.Tests.Rendering.TestFleets;

namespace McpFleet.Core.Tests.Rendering;

public sealed class FleetRendererTests
{
    private static readonly RenderedFleet s_sample = FleetRenderer.Render(Sample());

    private static RenderedServer ServerNamed(string name) => s_sample.Servers.Single(s => s.Name == name);

    [Fact]
    public void Render_SampleFleet_MatchesGoldenYaml()
    {
        foreach (var server in s_sample.Servers)
        {
            Golden.Match($"Snapshots/sample/{server.Name}.yaml", ManifestYaml.SerializeAll(server.Objects));
        }
    }

    [Fact]
    public void Render_Twice_GivesIdenticalBytes()
    {
        var first = ManifestYaml.SerializeAll(FleetRenderer.Render(Sample()).AllObjects);
        var second = ManifestYaml.SerializeAll(FleetRenderer.Render(Sample()).AllObjects);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Render_Server_EmitsObjectsInContractOrder()
    {
        var kinds = ServerNamed("gong").Objects.Select(o => o.Kind).ToList();

        Assert.Equal(
            ["ServiceAccount", "ConfigMap", "ExternalSecret", "Service", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy"],
            kinds);
    }

    [Fact]
    public void Render_EveryObject_CarriesNamespaceAndContractLabels()
    {
        foreach (var o in s_sample.Servers.SelectMany(s => s.Objects))
        {
            var name = "mcp-" + o.Metadata.Labels["app.kubernetes.io/name"]["mcp-".Length..];
            Assert.Equal("sophia-ai", o.Metadata.NamespaceProperty);
            Assert.Equal(name, o.Metadata.Labels["app"]);
            Assert.Equal("mcp", o.Metadata.Labels["tier"]);
            Assert.StartsWith("v", o.Metadata.Labels["version"], StringComparison.Ordinal);
            Assert.Equal(name, o.Metadata.Labels["app.kubernetes.io/instance"]);
            Assert.Equal("mcp-server", o.Metadata.Labels["app.kubernetes.io/component"]);
            Assert.Equal("sophia-ai", o.Metadata.Labels["app.kubernetes.io/part-of"]);
            Assert.Equal("mcpfleet", o.Metadata.Labels["app.kubernetes.io/managed-by"]);
            Assert.True(o.Metadata.Labels.ContainsKey("mcpfleet.io/phase"));
        }
    }

    [Fact]
    public void Render_GpuServer_SelectsGpuNodesAndNeverSurges()
    {
        var deployment = ServerNamed("ai-memory").Find<V1Deployment>()!;
        var pod = deployment.Spec.Template.Spec;

        Assert.Equal(1, deployment.Spec.Replicas);
        Assert.Equal("true", pod.NodeSelector["nvidia.com/gpu"]);
        Assert.Equal("GH200", pod.NodeSelector["gpu-type"]);
        var toleration = Assert.Single(pod.Tolerations);
        Assert.Equal(("nvidia.com/gpu", "Exists", "NoSchedule"), (toleration.Key, toleration.OperatorProperty, toleration.Effect));
        Assert.Equal("nvidia", pod.RuntimeClassName);
        Assert.Equal("1", pod.Containers[0].Resources.Requests["nvidia.com/gpu"].ToString());
        Assert.Equal("1", pod.Containers[0].Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("0", deployment.Spec.Strategy.RollingUpdate.MaxSurge.Value);
        Assert.Equal("1", deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);
        Assert.Null(pod.TopologySpreadConstraints);
        Assert.Null(ServerNamed("ai-memory").Find<V2HorizontalPodAutoscaler>());
        Assert.Null(ServerNamed("ai-memory").Find<V1PodDisruptionBudget>());
    }

    [Fact]
    public void Render_CpuServer_SurgesWithoutUnavailability()
    {
        var strategy = ServerNamed("github").Find<V1Deployment>()!.Spec.Strategy;

        Assert.Equal("RollingUpdate", strategy.Type);
        Assert.Equal("25%", strategy.RollingUpdate.MaxSurge.Value);
        Assert.Equal("0", strategy.RollingUpdate.MaxUnavailable.Value);
        Assert.Null(ServerNamed("github").Find<V1Deployment>()!.Spec.Template.Spec.NodeSelector);
    }

    [Fact]
    public void Render_ServerWithHpa_OmitsReplicasAndNamesHpaLikeTheDocument()
    {
        var server = ServerNamed("gong");
        var hpa = server.Find<V2HorizontalPodAutoscaler>()!;

        Assert.Null(server.Find<V1Deployment>()!.Spec.Replicas);
        Assert.Equal("mcp-gong-hpa", hpa.Metadata.Name);
        Assert.Equal(("apps/v1", "Deployment", "mcp-gong"), (hpa.Spec.ScaleTargetRef.ApiVersion, hpa.Spec.ScaleTargetRef.Kind, hpa.Spec.ScaleTargetRef.Name));
        Assert.Equal((3, 10), (hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas));
        Assert.Equal(["cpu", "memory"], hpa.Spec.Metrics.Select(m => m.Resource.Name));
        Assert.Equal([70, 80], hpa.Spec.Metrics.Select(m => m.Resource.Target.AverageUtilization));
        Assert.All(hpa.Spec.Metrics, m => Assert.Equal(("Resource", "Utilization"), (m.Type, m.Resource.Target.Type)));
    }

    [Fact]
    public void Render_HpaWithCpuOnly_HasOneMetric()
    {
        var fleet = Fleet(new ResolvedPhase(1, "p", [Server(NewSpec("a", 9000), autoscaling: new AutoscalingSpec(2, 4, 60, null))]));

        var hpa = FleetRenderer.Render(fleet).Servers.Single().Find<V2HorizontalPodAutoscaler>()!;

        Assert.Equal("cpu", Assert.Single(hpa.Spec.Metrics).Resource.Name);
    }

    [Theory]
    [InlineData(1, null, false)]
    [InlineData(2, null, true)]
    [InlineData(1, 3, true)]
    public void Render_MaxReplicas_RendersPdbAndSpreadOnlyFromTwo(int replicas, int? hpaMax, bool expected)
    {
        var autoscaling = hpaMax is { } max ? new AutoscalingSpec(1, max) : null;
        var fleet = Fleet(new ResolvedPhase(1, "p", [Server(NewSpec("a", 9000), replicas: replicas, autoscaling: autoscaling)]));

        var server = FleetRenderer.Render(fleet).Servers.Single();

        var pdb = server.Find<V1PodDisruptionBudget>();
        Assert.Equal(expected, pdb is not null);
        Assert.Equal(expected, server.Find<V1Deployment>()!.Spec.Template.Spec.TopologySpreadConstraints is not null);
        if (pdb is not null)
        {
            Assert.Equal("1", pdb.Spec.MaxUnavailable.Value);
            Assert.Null(pdb.Spec.MinAvailable);
            Assert.Equal("AlwaysAllow", pdb.Spec.UnhealthyPodEvictionPolicy);
            Assert.Equal(new Dictionary<string, string> { ["app"] = "mcp-a" }, pdb.Spec.Selector.MatchLabels);
        }
    }

    [Fact]
    public void Render_NetworkPolicy_AllowsDnsFirst()
    {
        foreach (var server in s_sample.Servers)
        {
            var dns = server.Find<V1NetworkPolicy>()!.Spec.Egress[0];
            var peer = Assert.Single(dns.To);
            Assert.Equal("kube-system", peer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
            Assert.Equal("kube-dns", peer.PodSelector.MatchLabels["k8s-app"]);
            Assert.Equal(["UDP/53", "TCP/53"], dns.Ports.Select(p => $"{p.Protocol}/{p.Port.Value}"));
        }
    }

    [Fact]
    public void Render_NetworkPolicy_AdmitsMcpPodsCallersAndMonitoring()
    {
        var policy = ServerNamed("gong").Find<V1NetworkPolicy>()!.Spec;

        Assert.Equal(new Dictionary<string, string> { ["app"] = "mcp-gong" }, policy.PodSelector.MatchLabels);
        Assert.Equal(["Ingress", "Egress"], policy.PolicyTypes);
        Assert.Equal(2, policy.Ingress.Count);
        Assert.Equal("mcp", policy.Ingress[0].FromProperty[0].PodSelector.MatchLabels["tier"]);
        Assert.Equal("sophia-backend", policy.Ingress[0].FromProperty[1].PodSelector.MatchLabels["app"]);
        Assert.Equal("9005", Assert.Single(policy.Ingress[0].Ports).Port.Value);
        Assert.Equal("monitoring", Assert.Single(policy.Ingress[1].FromProperty).NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Equal("9464", Assert.Single(policy.Ingress[1].Ports).Port.Value);
    }

    [Fact]
    public void Render_DependsOn_AddsUrlEnvAndEgressToDependency()
    {
        var server = ServerNamed("github");
        var env = server.Find<V1Deployment>()!.Spec.Template.Spec.Containers[0].Env;
        var egress = server.Find<V1NetworkPolicy>()!.Spec.Egress;

        Assert.Equal("http://mcp-ai-memory.sophia-ai.svc.cluster.local:9000/mcp", env.Single(e => e.Name == "AI_MEMORY_MCP_URL").Value);
        var rule = egress[1];
        Assert.Equal("mcp-ai-memory", Assert.Single(rule.To).PodSelector.MatchLabels["app"]);
        Assert.Equal("TCP/9000", $"{Assert.Single(rule.Ports).Protocol}/{rule.Ports[0].Port.Value}");
    }

    [Fact]
    public void Render_CidrEgress_AllowsExactlyThatBlock()
    {
        var rule = ServerNamed("github").Find<V1NetworkPolicy>()!.Spec.Egress[2];

        Assert.Equal("10.20.0.0/16", Assert.Single(rule.To).IpBlock.Cidr);
        Assert.Null(rule.To[0].IpBlock.Except);
        Assert.Equal(["5432", "6379"], rule.Ports.Select(p => p.Port.Value));
    }

    [Fact]
    public void Render_HostEgress_AllowsPublicInternetOnItsPortsOnly()
    {
        var rule = ServerNamed("gong").Find<V1NetworkPolicy>()!.Spec.Egress[1];

        var block = Assert.Single(rule.To).IpBlock;
        Assert.Equal("0.0.0.0/0", block.Cidr);
        Assert.Equal(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"], block.Except);
        Assert.Equal("443", Assert.Single(rule.Ports).Port.Value);
    }

    // findings D23: 169.254.169.254 serves cloud instance metadata (node credentials) on port 80.
    [Fact]
    public void Render_HostEgress_LeavesLinkLocalCloudMetadataOut()
    {
        var block = Assert.Single(ServerNamed("gong").Find<V1NetworkPolicy>()!.Spec.Egress[1].To).IpBlock;

        var metadata = System.Net.IPAddress.Parse("169.254.169.254");
        Assert.Contains(block.Except, cidr => System.Net.IPNetwork.Parse(cidr).Contains(metadata));
    }

    [Fact]
    public void Render_ServerWithoutSecrets_HasNoExternalSecretAndNoEnvFrom()
    {
        var server = ServerNamed("slack");

        Assert.Null(server.Find<ExternalSecret>());
        Assert.Null(server.Find<V1Deployment>()!.Spec.Template.Spec.Containers[0].EnvFrom);
    }

    [Fact]
    public void Render_ServerWithSecrets_ReadsThemFromTheExternalSecretOnly()
    {
        var server = ServerNamed("github");
        var secret = server.Find<ExternalSecret>()!;
        var container = server.Find<V1Deployment>()!.Spec.Template.Spec.Containers[0];

        Assert.Equal("mcp-github-secrets", secret.Metadata.Name);
        Assert.Equal("external-secrets.io/v1", secret.ApiVersion);
        Assert.Equal("1h", secret.Spec.RefreshInterval);
        Assert.Equal(("pulumi-esc", "SecretStore"), (secret.Spec.SecretStoreRef.Name, secret.Spec.SecretStoreRef.Kind));
        Assert.Equal(("mcp-github-secrets", "Owner"), (secret.Spec.Target.Name, secret.Spec.Target.CreationPolicy));
        Assert.Equal(["GITHUB_TOKEN:sophia.dev.github.token", "GITHUB_APP_KEY:sophia.dev.github.app_key"], secret.Spec.Data.Select(d => $"{d.SecretKey}:{d.RemoteRef.Key}"));
        Assert.Equal("mcp-github-secrets", Assert.Single(container.EnvFrom).SecretRef.Name);
        Assert.DoesNotContain(container.Env, e => e.Name.StartsWith("GITHUB_", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_OldOperator_UsesConfiguredExternalSecretApiVersion()
    {
        var fleet = Sample() with { ExternalSecretApiVersion = "external-secrets.io/v1beta1" };

        var secret = FleetRenderer.Render(fleet).Servers.SelectMany(s => s.OfType<ExternalSecret>()).First();

        Assert.Equal("external-secrets.io/v1beta1", secret.ApiVersion);
    }

    [Fact]
    public void Render_Env_FollowsContractOrder()
    {
        var env = ServerNamed("github").Find<V1Deployment>()!.Spec.Template.Spec.Containers[0].Env;

        Assert.Equal(
            ["ENVIRONMENT", "PULUMI_ORG", "SERVER_PORT", "METRICS_PORT", "POD_NAMESPACE", "MCP_SESSION_MODE", "FEATURE_X", "LOG_LEVEL", "AI_MEMORY_MCP_URL"],
            env.Select(e => e.Name));
        Assert.Equal(["prod", "scoobyjava-org", "9002", "9464"], env.Take(4).Select(e => e.Value));
        Assert.Equal("metadata.namespace", env[4].ValueFrom.FieldRef.FieldPath);
    }

    [Fact]
    public void Render_ConfigMap_HoldsTheDocumentsFieldsAndTheChecksumMatches()
    {
        var server = ServerNamed("gong");
        var json = server.Find<V1ConfigMap>()!.Data["server-config.json"];
        var annotations = server.Find<V1Deployment>()!.Spec.Template.Metadata.Annotations;

        Assert.Equal("{\n  \"name\": \"gong\",\n  \"version\": \"2.0.0\",\n  \"port\": 9005,\n  \"tools\": 6,\n  \"description\": \"Sales call analytics\"\n}\n", json);
        Assert.Equal(ServerConfigJson.Checksum(json), annotations["checksum/config"]);
        Assert.Matches("^[0-9a-f]{64}$", annotations["checksum/config"]);
        Assert.Equal("stateless", annotations["mcpfleet.io/session-mode"]);
        Assert.Equal(("true", "9464", "/metrics"), (annotations["prometheus.io/scrape"], annotations["prometheus.io/port"], annotations["prometheus.io/path"]));
    }

    [Fact]
    public void ServerConfigJson_SpecialCharacters_EscapesLikeGo()
    {
        var json = ServerConfigJson.Build(NewSpec("a", 9000) with { Description = "<b>\"R&D\"</b>\ttab\u0001 é \u2028" });

        Assert.Contains("\"description\": \"\\u003cb\\u003e\\\"R\\u0026D\\\"\\u003c/b\\u003e\\ttab\\u0001 é \\u2028\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_StatefulServer_AnnotatesSessionMode()
    {
        var annotations = ServerNamed("github").Find<V1Deployment>()!.Spec.Template.Metadata.Annotations;

        Assert.Equal("stateful", annotations["mcpfleet.io/session-mode"]);
    }

    [Fact]
    public void Render_Probes_UseRuntimeContractTimingsAndOverrides()
    {
        var standard = ServerNamed("github").Find<V1Deployment>()!.Spec.Template.Spec.Containers[0];
        var custom = ServerNamed("slack").Find<V1Deployment>()!.Spec.Template.Spec.Containers[0];

        Assert.Equal(("/health", "mcp", 2, 30, 2), (standard.StartupProbe.HttpGet.Path, standard.StartupProbe.HttpGet.Port.Value, standard.StartupProbe.PeriodSeconds, standard.StartupProbe.FailureThreshold, standard.StartupProbe.TimeoutSeconds));
        Assert.Equal(("/health", "mcp", 10, 3), (standard.LivenessProbe.HttpGet.Path, standard.LivenessProbe.HttpGet.Port.Value, standard.LivenessProbe.PeriodSeconds, standard.LivenessProbe.FailureThreshold));
        Assert.Equal(("/ready", "mcp", 5, 2), (standard.ReadinessProbe.HttpGet.Path, standard.ReadinessProbe.HttpGet.Port.Value, standard.ReadinessProbe.PeriodSeconds, standard.ReadinessProbe.FailureThreshold));
        Assert.Null(standard.LivenessProbe.InitialDelaySeconds);
        Assert.Equal((60, 3), (custom.StartupProbe.FailureThreshold, custom.StartupProbe.TimeoutSeconds));
        Assert.Equal(3, custom.ReadinessProbe.TimeoutSeconds);
    }

    [Theory]
    [InlineData("/healthz", "/readyz", "/healthz", "/readyz")]
    [InlineData("/livez", null, "/livez", "/ready")]
    [InlineData(null, "/api/ready", "/health", "/api/ready")]
    public void Render_ServerWithOwnProbePaths_ProbesGetThem(string? healthPath, string? readyPath, string health, string ready)
    {
        var spec = NewSpec("everything", 9001) with { Probes = new ProbeOverrides { HealthPath = healthPath, ReadyPath = readyPath, TimeoutSeconds = 4 } };

        var container = FleetRenderer.Render(Fleet(new ResolvedPhase(1, "core", [Server(spec)])))
            .Servers.Single().Find<V1Deployment>()!.Spec.Template.Spec.Containers[0];

        Assert.Equal((health, "mcp"), (container.StartupProbe.HttpGet.Path, container.StartupProbe.HttpGet.Port.Value));
        Assert.Equal((health, "mcp"), (container.LivenessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Port.Value));
        Assert.Equal((ready, "mcp"), (container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.Value));
        Assert.Equal(4, container.LivenessProbe.TimeoutSeconds);
    }

    [Fact]
    public void Render_Shutdown_AgreesWithRuntimeContract()
    {
        foreach (var deployment in s_sample.Servers.SelectMany(s => s.OfType<V1Deployment>()))
        {
            var pod = deployment.Spec.Template.Spec;
            Assert.Equal(RuntimeContract.Shutdown.TerminationGracePeriodSeconds, pod.TerminationGracePeriodSeconds);
            Assert.Equal(RuntimeContract.Shutdown.PreStopSleepSeconds, pod.Containers[0].Lifecycle.PreStop.Sleep.Seconds);
            Assert.Null(pod.Containers[0].Lifecycle.PreStop.Exec);
        }
    }

    [Fact]
    public void Render_ExtraLabels_AddedButNeverOverrideContractLabels()
    {
        var fleet = Fleet(new ResolvedPhase(1, "p", [Server(NewSpec("a", 9000) with { Labels = new Dictionary<string, string> { ["team"] = "x", ["app"] = "evil" } })]));

        var labels = FleetRenderer.Render(fleet).Servers.Single().Find<V1Deployment>()!.Spec.Template.Metadata.Labels;

        Assert.Equal("x", labels["team"]);
        Assert.Equal("mcp-a", labels["app"]);
    }

    [Fact]
    public void Render_Service_ExposesMcpAndMetricsByName()
    {
        var service = ServerNamed("gong").Find<V1Service>()!.Spec;

        Assert.Equal("ClusterIP", service.Type);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "mcp-gong" }, service.Selector);
        Assert.Equal(["mcp:9005->mcp/TCP", "metrics:9464->metrics/TCP"], service.Ports.Select(p => $"{p.Name}:{p.Port}->{p.TargetPort.Value}/{p.Protocol}"));
    }

    [Fact]
    public void Render_Namespace_EnforcesRestrictedPodSecurity()
    {
        var labels = s_sample.Namespace.Metadata.Labels;

        Assert.Equal("sophia-ai", s_sample.Namespace.Metadata.Name);
        Assert.Equal("restricted", labels["pod-security.kubernetes.io/enforce"]);
        Assert.Equal("restricted", labels["pod-security.kubernetes.io/audit"]);
        Assert.Equal("restricted", labels["pod-security.kubernetes.io/warn"]);
    }
}
