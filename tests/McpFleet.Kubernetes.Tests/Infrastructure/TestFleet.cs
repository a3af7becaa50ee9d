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
}
