namespace McpFleet.Kubernetes;

/// <summary>Identifies one namespaced object by API version, kind, namespace and name.</summary>
/// <param name="ApiVersion">e.g. <c>apps/v1</c>.</param>
/// <param name="Kind">e.g. <c>Deployment</c>.</param>
/// <param name="Namespace">The namespace.</param>
/// <param name="Name">The name.</param>
public sealed record ObjectRef(string ApiVersion, string Kind, string Namespace, string Name)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Kind}/{Name}";
}

/// <summary>How an API kind maps to its REST resource.</summary>
/// <param name="ApiVersion">The API version, e.g. <c>apps/v1</c>.</param>
/// <param name="Kind">The kind.</param>
/// <param name="Plural">The REST resource name, e.g. <c>deployments</c>.</param>
public sealed record ResourceKind(string ApiVersion, string Kind, string Plural)
{
    /// <summary>The kinds that McpFleet renders into a namespace, in the order prune lists them.</summary>
    public static readonly IReadOnlyList<ResourceKind> Managed =
    [
        new("v1", "ServiceAccount", "serviceaccounts"),
        new("v1", "ConfigMap", "configmaps"),
        new("v1", "Service", "services"),
        new("apps/v1", "Deployment", "deployments"),
        new("autoscaling/v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers"),
        new("policy/v1", "PodDisruptionBudget", "poddisruptionbudgets"),
        new("networking.k8s.io/v1", "NetworkPolicy", "networkpolicies"),
        new("external-secrets.io/v1", "ExternalSecret", "externalsecrets"),
    ];

    /// <summary>Gets the API group (empty for the core group).</summary>
    public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : "";

    /// <summary>Gets the version part of <see cref="ApiVersion"/>.</summary>
    public string Version => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[(ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..] : ApiVersion;

    /// <summary>Finds the resource of <paramref name="kind"/>; the API version may differ (ExternalSecret v1beta1).</summary>
    /// <param name="apiVersion">The object's apiVersion.</param>
    /// <param name="kind">The object's kind.</param>
    /// <returns>The resource with the object's own API version.</returns>
    /// <exception cref="ArgumentException">The kind is not one McpFleet applies.</exception>
    public static ResourceKind For(string apiVersion, string kind)
    {
        var known = Managed.FirstOrDefault(k => k.Kind == kind)
            ?? throw new ArgumentException($"mcpfleet does not apply objects of kind '{kind}' ({apiVersion}).", nameof(kind));
        return known with { ApiVersion = apiVersion };
    }
}
