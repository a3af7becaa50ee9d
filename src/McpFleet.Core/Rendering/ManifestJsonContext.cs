using System.Text.Json.Serialization;
using k8s.Models;

namespace McpFleet.Rendering;

/// <summary>
/// Source-generated System.Text.Json metadata for every object the renderer emits: no reflection at run time, so
/// serialization starts fast and works under Native AOT.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(V1Namespace))]
[JsonSerializable(typeof(V1ServiceAccount))]
[JsonSerializable(typeof(V1ConfigMap))]
[JsonSerializable(typeof(ExternalSecret))]
[JsonSerializable(typeof(V1Service))]
[JsonSerializable(typeof(V1Deployment))]
[JsonSerializable(typeof(V2HorizontalPodAutoscaler))]
[JsonSerializable(typeof(V1PodDisruptionBudget))]
[JsonSerializable(typeof(V1NetworkPolicy))]
[JsonSerializable(typeof(Kustomization))]
[JsonSerializable(typeof(V1Pod))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
