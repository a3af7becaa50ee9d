using k8s;
using k8s.Models;

namespace McpFleet.Kubernetes.Tests;

/// <summary>Typed objects like the renderer's, built by hand, so the cluster side is tested on its own.</summary>
public static class TestFleet
{
    public const string Namespace = "fleet-ns";
    public const string Name = "test-fleet";

    public static Dictionary<string, string> Labels(string server, int phase, string fleet = Name) => new()
    {
        ["app"] = "mcp-" + server,
        ["tier"] = "mcp",
        ["version"] = "v1.0.0",
        ["app.kubernetes.io/name"] = "mcp-" + server,
        ["app.kubernetes.io/version"] = "1.0.0",
        ["app.kubernetes.io/part-of"] = fleet,
        ["app.kubernetes.io/managed-by"] = "mcpfleet",
        ["mcpfleet.io/phase"] = phase.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static ServerManifest Server(string name, int phase, int tools = 2, int replicas = 2, string image = "example/mcp:v1.0.0")
    {
        var n = "mcp-" + name;
        var labels = Labels(name, phase);
        var objects = new List<IKubernetesObject<V1ObjectMeta>>
        {
            new V1ConfigMap
            {
                ApiVersion = "v1", Kind = "ConfigMap",
                Metadata = new V1ObjectMeta { Name = n + "-config", NamespaceProperty = Namespace, Labels = labels },
                Data = new Dictionary<string, string> { ["server-config.json"] = $"{{\n  \"name\": \"{name}\",\n  \"tools\": {tools}\n}}\n" },
            },
            new V1Service
            {
                ApiVersion = "v1", Kind = "Service",
                Metadata = new V1ObjectMeta { Name = n, NamespaceProperty = Namespace, Labels = labels },
                Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = n }, Ports = [new V1ServicePort { Name = "mcp", Port = 9000, TargetPort = "mcp" }] },
            },
            new V1Deployment
            {
                ApiVersion = "apps/v1", Kind = "Deployment",
                Metadata = new V1ObjectMeta { Name = n, NamespaceProperty = Namespace, Labels = labels },
                Spec = new V1DeploymentSpec
                {
                    Replicas = replicas,
                    Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = n } },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = labels },
                        Spec = new V1PodSpec { Containers = [new V1Container { Name = name, Image = image }] },
                    },
                },
            },
            new V1PodDisruptionBudget
            {
                ApiVersion = "policy/v1", Kind = "PodDisruptionBudget",
                Metadata = new V1ObjectMeta { Name = n, NamespaceProperty = Namespace, Labels = labels },
                Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = 1, Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = n } } },
            },
        };
        return new ServerManifest(name, 9000, objects);
    }

    public static FleetManifest Create(params (string Phase, ServerManifest[] Servers)[] phases) => new(
        Name,
        Namespace,
        new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = Namespace } },
        phases.Select((p, i) => new PhaseManifest(i + 1, p.Phase, p.Servers)).ToList());

    public static FleetManifest TwoPhases() => Create(
        ("core", [Server("a", 1), Server("b", 1)]),
        ("advanced", [Server("c", 2)]));

    /// <summary>Deploys <paramref name="fleet"/> to the fake API server, every rollout completing at once.</summary>
    public static async Task DeployAsync(FakeApiServer api, FleetManifest fleet)
    {
        api.AutoRollout();
        using var cluster = api.CreateCluster();
        var result = await new FleetDeployer(cluster, TimeProvider.System).DeployAsync(fleet, new DeployOptions(), NoDeployProgress.Instance, TestContext.Current.CancellationToken);
        Assert.True(result.Success, result.Failure?.Reason);
    }

    /// <summary>A pod of <paramref name="app"/>, waiting for <paramref name="waitingReason"/> when one is given.</summary>
    public static V1Pod Pod(string name, string app, string waitingReason, int restarts, string phase = "")
    {
        var crash = waitingReason == "CrashLoopBackOff";
        return new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = TestFleet.Namespace, Labels = new Dictionary<string, string> { ["app"] = app, ["tier"] = "mcp" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = app["mcp-".Length..], Image = "example/mcp:v1.0.0" }] },
            Status = new V1PodStatus
            {
                Phase = phase.Length > 0 ? phase : crash ? "Running" : "Pending",
                ContainerStatuses = waitingReason.Length == 0 ? [] :
                [
                    new V1ContainerStatus
                    {
                        Name = app["mcp-".Length..], Image = "example/mcp:v1.0.0", ImageID = "", Ready = false, RestartCount = restarts,
                        State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = waitingReason } },
                    },
                ],
            },
        };
    }
}
