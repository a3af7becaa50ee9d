using k8s.Models;
using McpFleet.Spec;

namespace McpFleet.Rendering;

/// <summary>The document's HPA (<c>autoscaling/v2</c>, named <c>mcp-{name}-hpa</c>): CPU then memory utilization, each when set.</summary>
internal static class HorizontalPodAutoscalerBuilder
{
    public static V2HorizontalPodAutoscaler Build(ServerContext c, AutoscalingSpec autoscaling)
    {
        var metrics = new List<V2MetricSpec>(2);
        if (autoscaling.Cpu is { } cpu)
        {
            metrics.Add(Utilization("cpu", cpu));
        }

        if (autoscaling.Memory is { } memory)
        {
            metrics.Add(Utilization("memory", memory));
        }

        return new V2HorizontalPodAutoscaler
        {
            ApiVersion = "autoscaling/v2",
            Kind = V2HorizontalPodAutoscaler.KubeKind,
            Metadata = c.Metadata(c.Name + "-hpa"),
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = V1Deployment.KubeKind, Name = c.Name },
                MinReplicas = autoscaling.MinReplicas,
                MaxReplicas = autoscaling.MaxReplicas,
                Metrics = metrics.Count > 0 ? metrics : null,
            },
        };
    }

    private static V2MetricSpec Utilization(string resource, int percent) => new()
    {
        Type = "Resource",
        Resource = new V2ResourceMetricSource
        {
            Name = resource,
            Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = percent },
        },
    };
}
