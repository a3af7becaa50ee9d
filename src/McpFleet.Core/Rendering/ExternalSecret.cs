using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace McpFleet.Rendering;

/// <summary>
/// An External Secrets Operator <c>ExternalSecret</c> (<c>external-secrets.io/v1</c>, or <c>v1beta1</c> for old
/// operators): the fields McpFleet renders, typed, because KubernetesClient has no model for this CRD.
/// </summary>
public sealed record ExternalSecret : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The kind.</summary>
    public const string KindName = "ExternalSecret";

    /// <summary>The default apiVersion; <c>v1beta1</c> is no longer served by current operators.</summary>
    public const string DefaultApiVersion = "external-secrets.io/v1";

    /// <inheritdoc/>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <inheritdoc/>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindName;

    /// <inheritdoc/>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>Gets or sets the spec.</summary>
    [JsonPropertyName("spec")]
    public ExternalSecretSpec Spec { get; set; } = new();
}

/// <summary>The spec of an <see cref="ExternalSecret"/>.</summary>
public sealed record ExternalSecretSpec
{
    /// <summary>Gets or sets how often the operator re-reads the store, e.g. <c>1h</c>.</summary>
    [JsonPropertyName("refreshInterval")]
    public string? RefreshInterval { get; set; }

    /// <summary>Gets or sets the store to read from.</summary>
    [JsonPropertyName("secretStoreRef")]
    public SecretStoreRef SecretStoreRef { get; set; } = new();

    /// <summary>Gets or sets the Secret to create.</summary>
    [JsonPropertyName("target")]
    public ExternalSecretTarget Target { get; set; } = new();

    /// <summary>Gets or sets one entry per secret key, in declared order.</summary>
    [JsonPropertyName("data")]
    public IList<ExternalSecretData> Data { get; set; } = [];
}

/// <summary>A reference to a <c>SecretStore</c> or <c>ClusterSecretStore</c>.</summary>
public sealed record SecretStoreRef
{
    /// <summary>Gets or sets the store name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    /// <summary>Gets or sets <c>SecretStore</c> or <c>ClusterSecretStore</c>.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "SecretStore";
}

/// <summary>The Secret that the operator creates.</summary>
public sealed record ExternalSecretTarget
{
    /// <summary>Gets or sets the Secret name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    /// <summary>Gets or sets who owns the Secret; <c>Owner</c> deletes it with the ExternalSecret.</summary>
    [JsonPropertyName("creationPolicy")]
    public string? CreationPolicy { get; set; }
}

/// <summary>One key of the target Secret and where its value comes from.</summary>
public sealed record ExternalSecretData
{
    /// <summary>Gets or sets the key in the Secret (the env var name, because the pod uses <c>envFrom</c>).</summary>
    [JsonPropertyName("secretKey")]
    public string SecretKey { get; set; } = "";

    /// <summary>Gets or sets the key in the store.</summary>
    [JsonPropertyName("remoteRef")]
    public ExternalSecretRemoteRef RemoteRef { get; set; } = new();
}

/// <summary>The location of a value in the store.</summary>
public sealed record ExternalSecretRemoteRef
{
    /// <summary>Gets or sets the key in the store, e.g. <c>sophia.business.gong.api_key</c>.</summary>
    [JsonPropertyName("key")]
    public string Key { get; set; } = "";
}
