using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace McpFleet.Rendering;

/// <summary>
/// A kustomize <c>kustomization.yaml</c> (<c>kustomize.config.k8s.io/v1beta1</c>): the resources of a phase, or the
/// namespace and the phase directories at the root, so <c>kubectl apply -k</c> works on either.
/// </summary>
public sealed record Kustomization : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The apiVersion kustomize reads.</summary>
    public const string DefaultApiVersion = "kustomize.config.k8s.io/v1beta1";

    /// <summary>The kind.</summary>
    public const string KindName = "Kustomization";

    /// <summary>
    /// Annotation on the root kustomization that marks a directory as <c>mcpfleet render</c> output, so a later render
    /// may replace it and never a directory someone else wrote.
    /// </summary>
    public const string RenderedByAnnotation = "mcpfleet.io/rendered-by";

    /// <inheritdoc/>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <inheritdoc/>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindName;

    /// <inheritdoc/>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>Gets or sets the files and directories to include, relative to the kustomization.</summary>
    [JsonPropertyName("resources")]
    public IList<string> Resources { get; set; } = [];
}
