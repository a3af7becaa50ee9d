using k8s.Models;

namespace McpFleet.Rendering;

/// <summary>The document's ClusterIP Service, plus the metrics port.</summary>
internal static class ServiceBuilder
{
    public static V1Service Build(ServerContext c) => new()
    {
        ApiVersion = "v1",
        Kind = V1Service.KubeKind,
        Metadata = c.Metadata(c.Name),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = c.Selector(),
            Ports =
            [
                new V1ServicePort
                {
                    Name = RuntimeContract.McpPortName,
                    Port = c.Spec.Port,
                    TargetPort = RuntimeContract.McpPortName,
                    Protocol = WellKnown.Tcp,
                },
                new V1ServicePort
                {
                    Name = RuntimeContract.MetricsPortName,
                    Port = c.Fleet.MetricsPort,
                    TargetPort = RuntimeContract.MetricsPortName,
                    Protocol = WellKnown.Tcp,
                },
            ],
        },
    };
}
