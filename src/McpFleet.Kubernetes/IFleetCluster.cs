using k8s;
using k8s.Models;

namespace McpFleet.Kubernetes;

/// <summary>How an object is applied.</summary>
/// <param name="DryRun">Send <c>dryRun=All</c>: the API server validates and admits, and stores nothing.</param>
/// <param name="ForceConflicts">Take ownership of fields that another field manager owns.</param>
public sealed record ApplyOptions(bool DryRun = false, bool ForceConflicts = false)
{
    /// <summary>The field manager of every server-side apply.</summary>
    public const string FieldManager = "mcpfleet";
}

/// <summary>
/// The few cluster operations that deploy, status and smoke need. A narrow seam over <see cref="IKubernetes"/>, so the
/// commands read as fleet logic and the wire calls live in one place.
/// </summary>
public interface IFleetCluster
{
    /// <summary>Server-side applies <paramref name="obj"/> with field manager <c>mcpfleet</c>.</summary>
    /// <param name="obj">The object; namespaced objects carry their namespace.</param>
    /// <param name="options">Dry run and conflict handling.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the API server answered.</returns>
    Task ApplyAsync(IKubernetesObject<V1ObjectMeta> obj, ApplyOptions options, CancellationToken cancellationToken);

    /// <summary>Lists the Deployments of a namespace.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The Deployments.</returns>
    Task<IReadOnlyList<V1Deployment>> ListDeploymentsAsync(string ns, CancellationToken cancellationToken);

    /// <summary>
    /// Watches the Deployments of a namespace: first an ADDED event per existing Deployment, then every change,
    /// until the server ends the watch or <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <returns>The events.</returns>
    IAsyncEnumerable<(WatchEventType Type, V1Deployment Deployment)> WatchDeploymentsAsync(string ns, CancellationToken cancellationToken);

    /// <summary>Lists the pods that match <paramref name="labelSelector"/>.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="labelSelector">An equality label selector, e.g. <c>app=mcp-github</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The pods.</returns>
    Task<IReadOnlyList<V1Pod>> ListPodsAsync(string ns, string labelSelector, CancellationToken cancellationToken);

    /// <summary>Lists the events of a namespace, or only those whose involved object is <paramref name="objectName"/>.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="objectName">The involved object's name, or null for every event.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The events.</returns>
    Task<IReadOnlyList<Corev1Event>> ListEventsAsync(string ns, string? objectName, CancellationToken cancellationToken);

    /// <summary>Reads the last <paramref name="lines"/> log lines of a pod's container.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="pod">The pod name.</param>
    /// <param name="container">The container name, or null for the only container.</param>
    /// <param name="lines">How many lines.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The log text.</returns>
    Task<string> ReadLogTailAsync(string ns, string pod, string? container, int lines, CancellationToken cancellationToken);

    /// <summary>Lists the HorizontalPodAutoscalers of a namespace.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The HPAs.</returns>
    Task<IReadOnlyList<V2HorizontalPodAutoscaler>> ListHpasAsync(string ns, CancellationToken cancellationToken);

    /// <summary>Reads a ConfigMap, or null when it does not exist.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="name">The ConfigMap name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The ConfigMap or null.</returns>
    Task<V1ConfigMap?> ReadConfigMapAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Lists the objects of <paramref name="kind"/> that match <paramref name="labelSelector"/>; an uninstalled CRD lists nothing.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="kind">The resource kind.</param>
    /// <param name="labelSelector">The label selector.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>References to the objects.</returns>
    Task<IReadOnlyList<ObjectRef>> ListObjectsAsync(string ns, ResourceKind kind, string labelSelector, CancellationToken cancellationToken);

    /// <summary>Deletes an object (foreground propagation).</summary>
    /// <param name="obj">The object.</param>
    /// <param name="dryRun">Send <c>dryRun=All</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the API server answered.</returns>
    Task DeleteAsync(ObjectRef obj, bool dryRun, CancellationToken cancellationToken);

    /// <summary>Sends an HTTP request to a Service through the API server's service proxy.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="service">The Service name.</param>
    /// <param name="port">The Service port name or number.</param>
    /// <param name="request">The request; its URI is relative to the Service root, e.g. <c>mcp</c> or <c>ready</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The response.</returns>
    Task<HttpResponseMessage> ProxyAsync(string ns, string service, string port, HttpRequestMessage request, CancellationToken cancellationToken);
}
