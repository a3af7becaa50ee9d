using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace McpFleet.Kubernetes;

/// <summary><see cref="IFleetCluster"/> over KubernetesClient.</summary>
public sealed class KubernetesFleetCluster : IFleetCluster, IDisposable
{
    private readonly k8s.Kubernetes _client;
    private readonly HttpClient _raw;

    /// <summary>Creates a client from <paramref name="config"/>; the service proxy reuses its TLS handler and credentials.</summary>
    /// <param name="config">The configuration, e.g. from <see cref="KubernetesClientConfiguration.BuildDefaultConfig"/>.</param>
    public KubernetesFleetCluster(KubernetesClientConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        HttpMessageHandler? root = null;
        var setup = config.FirstMessageHandlerSetup;
        config.FirstMessageHandlerSetup = h =>
        {
            // The innermost handler carries the cluster CA and client certificate; the raw proxy client shares it.
            root = h;
            setup?.Invoke(h);
        };
        _client = new k8s.Kubernetes(config);
        _raw = root is null ? new HttpClient() : new HttpClient(root, disposeHandler: false);
        _raw.Timeout = TimeSpan.FromSeconds(30);
    }

    /// <summary>Connects with the standard kubeconfig resolution.</summary>
    /// <param name="kubeconfig">An explicit kubeconfig file, else <c>KUBECONFIG</c>, <c>~/.kube/config</c> or in-cluster.</param>
    /// <param name="context">A kubeconfig context, else the current one.</param>
    /// <returns>The cluster.</returns>
    public static KubernetesFleetCluster Connect(string? kubeconfig, string? context)
    {
        return new KubernetesFleetCluster(LoadConfiguration(kubeconfig, context));
    }

    /// <summary>
    /// The standard resolution: an explicit file, else <c>KUBECONFIG</c> (a list of files, merged), else
    /// <c>~/.kube/config</c>, else the in-cluster service account; <paramref name="context"/> picks a context.
    /// </summary>
    /// <param name="kubeconfig">An explicit kubeconfig file, or null.</param>
    /// <param name="context">A context name, or null for the current one.</param>
    /// <returns>The configuration.</returns>
    public static KubernetesClientConfiguration LoadConfiguration(string? kubeconfig, string? context)
    {
        if (kubeconfig is not null)
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig, context);
        }

        if (context is null)
        {
            return KubernetesClientConfiguration.BuildDefaultConfig();
        }

        var list = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (string.IsNullOrEmpty(list))
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(currentContext: context);
        }

        // KUBECONFIG may list several files; like kubectl, the first one that defines the context wins.
        var files = list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var file in files.SkipLast(1))
        {
            try
            {
                return KubernetesClientConfiguration.BuildConfigFromConfigFile(file, context);
            }
            catch (k8s.Exceptions.KubeConfigException)
            {
                // Not in this file; try the next.
            }
        }

        return KubernetesClientConfiguration.BuildConfigFromConfigFile(files[^1], context);
    }

    /// <inheritdoc/>
    public async Task ApplyAsync(IKubernetesObject<V1ObjectMeta> obj, ApplyOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(options);
        var patch = new V1Patch(obj, V1Patch.PatchType.ApplyPatch);
        var dryRun = options.DryRun ? "All" : null;
        bool? force = options.ForceConflicts ? true : null;
        var name = obj.Metadata.Name;
        var ns = obj.Metadata.NamespaceProperty;
        const string manager = ApplyOptions.FieldManager;
        switch (obj.ApiVersion, obj.Kind)
        {
            case ("v1", "Namespace"):
                await _client.CoreV1.PatchNamespaceAsync(patch, name, dryRun, manager, force: force, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case ("v1", "ServiceAccount"):
                await _client.CoreV1.PatchNamespacedServiceAccountAsync(patch, name, ns, dryRun, manager, force: force, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case ("v1", "ConfigMap"):
                await _client.CoreV1.PatchNamespacedConfigMapAsync(patch, name, ns, dryRun, manager, force: force, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case ("v1", "Service"):
                await _client.CoreV1.PatchNamespacedServiceAsync(patch, name, ns, dryRun, manager, force: force, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            default:
                // Every grouped kind (apps, autoscaling, policy, networking and the ExternalSecret CRD) shares the
                // /apis/{group}/{version}/namespaces/{ns}/{plural}/{name} shape that the custom-objects client speaks.
                var kind = ResourceKind.For(obj.ApiVersion, obj.Kind);
                await _client.CustomObjects.PatchNamespacedCustomObjectAsync(
                    patch, kind.Group, kind.Version, ns, kind.Plural, name, dryRun, manager, force: force, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<V1Deployment>> ListDeploymentsAsync(string ns, CancellationToken cancellationToken) =>
        (await _client.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false)).Items.ToList();

    /// <inheritdoc/>
    public async IAsyncEnumerable<(WatchEventType Type, V1Deployment Deployment)> WatchDeploymentsAsync(
        string ns, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, item) in _client.AppsV1.WatchListNamespacedDeploymentAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return (type, item);
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<V1Pod>> ListPodsAsync(string ns, string labelSelector, CancellationToken cancellationToken) =>
        (await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false)).Items.ToList();

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Corev1Event>> ListEventsAsync(string ns, string? objectName, CancellationToken cancellationToken) =>
        (await _client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: objectName is null ? null : $"involvedObject.name={objectName}", cancellationToken: cancellationToken).ConfigureAwait(false)).Items.ToList();

    /// <inheritdoc/>
    public async Task<string> ReadLogTailAsync(string ns, string pod, string? container, int lines, CancellationToken cancellationToken)
    {
        var stream = await _client.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container, tailLines: lines, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream);
            return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<V2HorizontalPodAutoscaler>> ListHpasAsync(string ns, CancellationToken cancellationToken) =>
        (await _client.AutoscalingV2.ListNamespacedHorizontalPodAutoscalerAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false)).Items.ToList();

    /// <inheritdoc/>
    public async Task<V1ConfigMap?> ReadConfigMapAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ObjectRef>> ListObjectsAsync(string ns, ResourceKind kind, string labelSelector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        IEnumerable<string?> names;
        switch (kind.Kind)
        {
            case "ServiceAccount":
                names = (await _client.CoreV1.ListNamespacedServiceAccountAsync(ns, labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false)).Items.Select(i => i.Metadata.Name);
                break;
            case "ConfigMap":
                names = (await _client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false)).Items.Select(i => i.Metadata.Name);
                break;
            case "Service":
                names = (await _client.CoreV1.ListNamespacedServiceAsync(ns, labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false)).Items.Select(i => i.Metadata.Name);
                break;
            default:
                try
                {
                    var list = await _client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(
                        kind.Group, kind.Version, ns, kind.Plural, labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
                    names = list.TryGetProperty("items", out var items)
                        ? items.EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString())
                        : [];
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
                {
                    // The CRD (e.g. ExternalSecret) is not installed, so there is nothing of that kind to prune.
                    names = [];
                }

                break;
        }

        return names.Where(n => n is not null).Select(n => new ObjectRef(kind.ApiVersion, kind.Kind, ns, n!)).ToList();
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(ObjectRef obj, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var dry = dryRun ? "All" : null;
        var options = new V1DeleteOptions { PropagationPolicy = "Foreground", DryRun = dryRun ? ["All"] : null };
        switch (obj.Kind)
        {
            case "ServiceAccount":
                await _client.CoreV1.DeleteNamespacedServiceAccountAsync(obj.Name, obj.Namespace, options, dry, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case "ConfigMap":
                await _client.CoreV1.DeleteNamespacedConfigMapAsync(obj.Name, obj.Namespace, options, dry, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case "Service":
                await _client.CoreV1.DeleteNamespacedServiceAsync(obj.Name, obj.Namespace, options, dry, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            default:
                var kind = ResourceKind.For(obj.ApiVersion, obj.Kind);
                await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(
                    kind.Group, kind.Version, obj.Namespace, kind.Plural, obj.Name, options, dryRun: dry, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <inheritdoc/>
    public async Task<HttpResponseMessage> ProxyAsync(string ns, string service, string port, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var relative = request.RequestUri?.OriginalString.TrimStart('/') ?? "";
        request.RequestUri = new Uri(_client.BaseUri, $"api/v1/namespaces/{Uri.EscapeDataString(ns)}/services/{Uri.EscapeDataString(service)}:{Uri.EscapeDataString(port)}/proxy/{relative}");
        if (_client.Credentials is not null)
        {
            // The typed client signs its own requests; this raw one must do the same (bearer token, exec plugin...).
            await _client.Credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return await _raw.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _raw.Dispose();
        _client.Dispose();
    }
}
