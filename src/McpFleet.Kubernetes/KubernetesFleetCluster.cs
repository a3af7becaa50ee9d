using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;
using k8s.Models;
using McpFleet.IO;
using McpFleet.Rendering;

namespace McpFleet.Kubernetes;

/// <summary><see cref="IFleetCluster"/> over KubernetesClient.</summary>
public sealed partial class KubernetesFleetCluster : IFleetCluster, IDisposable
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
    /// <exception cref="KubeConfigException">
    /// There is no kubeconfig at all, or it cannot be read (missing, empty, not YAML, wrong types, unknown context).
    /// The message is one line that names the file; the client's own exceptions (YAML, cast, null reference) never escape.
    /// </exception>
    public static KubernetesFleetCluster Connect(string? kubeconfig, string? context)
    {
        var source = kubeconfig ?? (Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } list ? list : null);
        if (source is null)
        {
            if (!File.Exists(KubernetesClientConfiguration.KubeConfigDefaultLocation))
            {
                // BuildDefaultConfig would fall back to http://localhost:8080 and fail later as "connection refused".
                return KubernetesClientConfiguration.IsInCluster()
                    ? new KubernetesFleetCluster(Load(null, context, "the in-cluster service account", singleFile: false))
                    : throw new KubeConfigException(
                        "no kubeconfig: no KUBECONFIG, no ~/.kube/config, and not in a pod; pass --kubeconfig FILE "
                        + "(to preview the manifests without a cluster: mcpfleet render <fleet-dir> --out -)");
            }

            source = KubernetesClientConfiguration.KubeConfigDefaultLocation;
        }

        return new KubernetesFleetCluster(Load(kubeconfig, context, source, singleFile: kubeconfig is not null || !source.Contains(Path.PathSeparator, StringComparison.Ordinal)));
    }

    private static KubernetesClientConfiguration Load(string? kubeconfig, string? context, string source, bool singleFile)
    {
        // One file (KUBECONFIG may list several): refuse a FIFO or device before the client blocks on it, and say
        // "empty" where the client would throw a NullReferenceException.
        if (singleFile)
        {
            var input = InputFile.Read(source, 16 << 20);
            if (!input.Success || string.IsNullOrWhiteSpace(input.Text))
            {
                throw new KubeConfigException($"cannot read the kubeconfig {source}: the file {input.Error?.Message ?? "is empty"}");
            }
        }

        try
        {
            return LoadConfiguration(kubeconfig, context);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            // With an inner exception the YAML was fine and a value did not fit the kubeconfig's model (clusters: 5).
            throw new KubeConfigException(e.InnerException is { } inner
                ? $"cannot read the kubeconfig {source}:{e.Start.Line}:{e.Start.Column}: not a valid kubeconfig (a field has the wrong type: {OneLine(inner.Message)})"
                : $"cannot read the kubeconfig {source}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {OneLine(YamlMark().Replace(e.Message, ""))}", e);
        }
        catch (Exception e) when (e is InvalidCastException or NullReferenceException or FormatException or ArgumentException or InvalidOperationException)
        {
            // The client maps the file onto its models without checks: a wrong type or a missing field surfaces here.
            throw new KubeConfigException($"cannot read the kubeconfig {source}: not a valid kubeconfig (a field is missing or has the wrong type: {OneLine(e.Message)})", e);
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"cannot read the kubeconfig {source}: {OneLine(e.Message)}", e);
        }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    [GeneratedRegex(@"^\(Line: .*?\):\s*")]
    private static partial Regex YamlMark();

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
        // KubernetesClient.Aot sends only string patches: the object's JSON, through the renderer's source-generated metadata.
        var patch = new V1Patch(Encoding.UTF8.GetString(ManifestJson.SerializeToUtf8Bytes(obj)), V1Patch.PatchType.ApplyPatch);
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
        // KubernetesClient.Aot has no watch: read the API server's line-delimited watch events here, through
        // source-generated metadata (WatchJsonContext), so it works under Native AOT.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"apis/apps/v1/namespaces/{Uri.EscapeDataString(ns)}/deployments?watch=true");
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            using var reader = new StreamReader(body);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                var change = JsonSerializer.Deserialize(line, WatchJsonContext.Default.DeploymentWatchEvent);
                switch (change?.Type)
                {
                    case "ADDED" when change.Object is { } d:
                        yield return (WatchEventType.Added, d);
                        break;
                    case "MODIFIED" when change.Object is { } d:
                        yield return (WatchEventType.Modified, d);
                        break;
                    case "DELETED" when change.Object is { } d:
                        yield return (WatchEventType.Deleted, d);
                        break;
                    case "ERROR":
                        // E.g. 410 Gone: end this watch; the caller watches again from the current state.
                        yield break;
                    default:
                        // BOOKMARK, or a kind of event this client does not know.
                        break;
                }
            }
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
                    // KubernetesClient.Aot returns the untyped list as a JsonElement.
                    var list = (JsonElement)await _client.CustomObjects.ListNamespacedCustomObjectAsync(
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
        request.RequestUri = new Uri($"api/v1/namespaces/{Uri.EscapeDataString(ns)}/services/{Uri.EscapeDataString(service)}:{Uri.EscapeDataString(port)}/proxy/{relative}", UriKind.Relative);
        return await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    // A raw request to the API server (path relative to its base), signed as the typed client signs its own.
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.RequestUri = new Uri(_client.BaseUri, request.RequestUri!);
        if (_client.Credentials is not null)
        {
            // Bearer token, exec plugin...: the typed client adds them itself; this raw one must do the same.
            await _client.Credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return await _raw.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    // The typed client's failure, so ClusterErrors tells a raw call's error the same way.
    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var content = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw new HttpOperationException($"Operation returned an invalid status code '{response.StatusCode}'")
        {
            Response = new HttpResponseMessageWrapper(response, content),
        };
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _raw.Dispose();
        _client.Dispose();
    }
}
