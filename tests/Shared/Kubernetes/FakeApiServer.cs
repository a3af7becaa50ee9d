using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace McpFleet.Kubernetes.Tests;

/// <summary>A request the fake API server received.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, string? ContentType, string Body);

/// <summary>
/// An in-process Kubernetes API server that implements only the paths McpFleet uses, with the API's JSON shapes:
/// server-side apply (PATCH application/apply-patch+yaml), get/list/watch, delete, pod logs and the service proxy.
/// There is no controller: tests script rollouts through <see cref="OnApplied"/> and <see cref="SetDeploymentStatus"/>.
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    // Objects of any model type (pods, events) as the API serves them: the models' own JSON names, nulls left out.
    private static readonly JsonSerializerOptions s_json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<(string Collection, Channel<string> Channel)> _watchers = [];
    private long _resourceVersion = 100;

    private FakeApiServer(WebApplication app) => _app = app;

    /// <summary>Every request, in arrival order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>A timeline of what happened: <c>apply Deployment/mcp-a</c>, <c>available Deployment/mcp-a</c>.</summary>
    public ConcurrentQueue<string> Timeline { get; } = new();

    /// <summary>Called after an apply was stored (not for dry runs) with the stored object's path and the object.</summary>
    public Action<string, JsonObject>? OnApplied { get; set; }

    /// <summary>End every watch after its initial ADDED events, as an API server does when its watch timeout passes.</summary>
    public bool EndWatchesAfterSnapshot { get; set; }

    /// <summary>Pod logs by pod name.</summary>
    public ConcurrentDictionary<string, string> PodLogs { get; } = new();

    /// <summary>Service proxy targets by Service name.</summary>
    public ConcurrentDictionary<string, FakeMcpServer> Services { get; } = new();

    /// <summary>The base URL.</summary>
    public required Uri BaseUri { get; init; }

    public static async Task<FakeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeApiServer? server = null;
        app.Run(async ctx =>
        {
            try
            {
                await server!.HandleAsync(ctx);
            }
            catch (Exception e) when (!ctx.Response.HasStarted)
            {
                // A bug in the fake (or a test hook) shows up in the client's error, not as a bare 500.
                await StatusAsync(ctx, 500, "InternalError", e.ToString());
            }
        });
        await app.StartAsync();
        var address = app.Urls.First();
        server = new FakeApiServer(app) { BaseUri = new Uri(address) };
        return server;
    }

    /// <summary>A client configuration that points KubernetesClient at this server.</summary>
    public KubernetesClientConfiguration Configuration => new() { Host = BaseUri.ToString() };

    public KubernetesFleetCluster CreateCluster() => new(Configuration);

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            foreach (var (_, channel) in _watchers)
            {
                channel.Writer.TryComplete();
            }
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public static string DeploymentPath(string ns, string name) => $"/apis/apps/v1/namespaces/{ns}/deployments/{name}";

    public JsonObject? Get(string path)
    {
        lock (_lock)
        {
            return _objects.TryGetValue(path, out var o) ? (JsonObject)o.DeepClone() : null;
        }
    }

    public IReadOnlyList<string> Paths()
    {
        lock (_lock)
        {
            return _objects.Keys.Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Stores an object as if something else created it (pods, events, objects of another tool).</summary>
    public void Put(string collection, IKubernetesObject obj)
    {
        var node = JsonSerializer.SerializeToNode(obj, obj.GetType(), s_json)!.AsObject();
        var name = node["metadata"]!["name"]!.GetValue<string>();
        lock (_lock)
        {
            var path = $"{collection}/{name}";
            var existed = _objects.ContainsKey(path);
            node["metadata"]!["resourceVersion"] = NextVersion();
            node["metadata"]!["uid"] ??= Guid.NewGuid().ToString();
            node["metadata"]!["creationTimestamp"] ??= "2026-01-01T00:00:00Z";
            _objects[path] = node;
            Notify(collection, existed ? "MODIFIED" : "ADDED", node);
        }
    }

    /// <summary>Sets a Deployment's status, as the deployment controller would, and sends MODIFIED to watchers.</summary>
    public void SetDeploymentStatus(string ns, string name, Action<JsonObject, JsonObject> update)
    {
        var path = DeploymentPath(ns, name);
        lock (_lock)
        {
            var obj = _objects[path];
            var status = obj["status"] as JsonObject ?? new JsonObject();
            update(obj, status);
            obj["status"] = status;
            obj["metadata"]!["resourceVersion"] = NextVersion();
            Notify(path[..path.LastIndexOf('/')], "MODIFIED", obj);
        }
    }

    /// <summary>Marks a Deployment's current generation rolled out and Available.</summary>
    public void MarkAvailable(string ns, string name)
    {
        SetDeploymentStatus(ns, name, (obj, status) =>
        {
            var replicas = obj["spec"]?["replicas"]?.GetValue<int>() ?? 1;
            status["observedGeneration"] = obj["metadata"]!["generation"]!.GetValue<long>();
            status["replicas"] = replicas;
            status["updatedReplicas"] = replicas;
            status["readyReplicas"] = replicas;
            status["availableReplicas"] = replicas;
            status["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "Available", ["status"] = "True", ["reason"] = "MinimumReplicasAvailable" },
                new JsonObject { ["type"] = "Progressing", ["status"] = "True", ["reason"] = "NewReplicaSetAvailable" });
        });
        Timeline.Enqueue($"available Deployment/{name}");
    }

    /// <summary>Sets a Deployment stuck: the generation is observed, no replica is ready.</summary>
    public void MarkStuck(string ns, string name)
    {
        SetDeploymentStatus(ns, name, (obj, status) =>
        {
            var replicas = obj["spec"]?["replicas"]?.GetValue<int>() ?? 1;
            status["observedGeneration"] = obj["metadata"]!["generation"]!.GetValue<long>();
            status["replicas"] = replicas;
            status["updatedReplicas"] = replicas;
            status["readyReplicas"] = 0;
            status["availableReplicas"] = 0;
            status["unavailableReplicas"] = replicas;
            status["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "Available", ["status"] = "False", ["reason"] = "MinimumReplicasUnavailable" });
        });
    }

    /// <summary>A controller that makes every applied Deployment Available right away (on another thread).</summary>
    public void AutoRollout() => OnApplied = (path, obj) =>
    {
        // Like the deployment controller: a generation it has already rolled out needs nothing.
        if (obj["kind"]?.GetValue<string>() == "Deployment"
            && obj["status"]?["observedGeneration"]?.GetValue<long>() != obj["metadata"]!["generation"]!.GetValue<long>())
        {
            var ns = obj["metadata"]!["namespace"]!.GetValue<string>();
            var name = obj["metadata"]!["name"]!.GetValue<string>();
            _ = Task.Run(() => MarkAvailable(ns, name));
        }
    };

    private string NextVersion() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

    private void Notify(string collection, string type, JsonObject obj)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString();
        foreach (var (c, channel) in _watchers)
        {
            if (c == collection)
            {
                channel.Writer.TryWrite(line);
            }
        }
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var request = ctx.Request;
        string body;
        using (var reader = new StreamReader(request.Body))
        {
            body = await reader.ReadToEndAsync();
        }

        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var path = request.Path.Value ?? "/";
        Requests.Enqueue(new RecordedRequest(request.Method, path, query, request.ContentType, body));
        var segments = path.Trim('/').Split('/');
        int prefix = segments is ["api", "v1", ..] ? 2 : segments is ["apis", _, _, ..] ? 3 : -1;
        if (prefix < 0)
        {
            await StatusAsync(ctx, 404, "NotFound", $"the server could not find the requested resource ({path})");
            return;
        }

        var rest = segments[prefix..];
        if (rest is ["namespaces", _, "services", var svc, "proxy", ..])
        {
            await ProxyAsync(ctx, svc, string.Join('/', rest[5..]), body);
            return;
        }

        if (rest is ["namespaces", _, "pods", var pod, "log"])
        {
            if (!PodLogs.TryGetValue(pod, out var log))
            {
                await StatusAsync(ctx, 400, "BadRequest", $"container \"x\" in pod \"{pod}\" is waiting to start");
                return;
            }

            var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (query.TryGetValue("tailLines", out var tail))
            {
                lines = lines.TakeLast(int.Parse(tail, CultureInfo.InvariantCulture)).ToArray();
            }

            ctx.Response.ContentType = "text/plain";
            await ctx.Response.WriteAsync(string.Join('\n', lines) + "\n");
            return;
        }

        var isObject = rest.Length is 2 or 4;
        var objectPath = "/" + string.Join('/', segments);
        var collection = isObject ? objectPath[..objectPath.LastIndexOf('/')] : objectPath;
        switch (request.Method, isObject)
        {
            case ("PATCH", true):
                await ApplyAsync(ctx, objectPath, collection, query, body);
                break;
            case ("GET", true):
                var found = Get(objectPath);
                if (found is null)
                {
                    await StatusAsync(ctx, 404, "NotFound", $"\"{segments[^1]}\" not found");
                }
                else
                {
                    await JsonAsync(ctx, 200, found);
                }

                break;
            case ("DELETE", true):
                await DeleteAsync(ctx, objectPath, collection, query);
                break;
            case ("GET", false) when query.TryGetValue("watch", out var w) && w is "true" or "1":
                await WatchAsync(ctx, collection, query);
                break;
            case ("GET", false):
                await ListAsync(ctx, collection, query);
                break;
            default:
                await StatusAsync(ctx, 405, "MethodNotAllowed", $"{request.Method} is not supported here");
                break;
        }
    }

    private async Task ApplyAsync(HttpContext ctx, string path, string collection, Dictionary<string, string> query, string body)
    {
        if (ctx.Request.ContentType?.StartsWith("application/apply-patch+yaml", StringComparison.Ordinal) != true)
        {
            await StatusAsync(ctx, 415, "UnsupportedMediaType", $"the body of the request was in an unknown format ({ctx.Request.ContentType})");
            return;
        }

        if (!query.TryGetValue("fieldManager", out var manager) || manager.Length == 0)
        {
            await StatusAsync(ctx, 400, "BadRequest", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value");
            return;
        }

        var applied = JsonNode.Parse(body)!.AsObject();
        var dryRun = query.TryGetValue("dryRun", out var d) && d == "All";
        JsonObject result;
        bool changed;
        lock (_lock)
        {
            _objects.TryGetValue(path, out var existing);
            result = (JsonObject)applied.DeepClone();
            var meta = result["metadata"]!.AsObject();
            if (existing is null)
            {
                meta["uid"] = Guid.NewGuid().ToString();
                meta["creationTimestamp"] = "2026-01-01T00:00:00Z";
                meta["generation"] = 1L;
                changed = true;
            }
            else
            {
                var old = existing["metadata"]!.AsObject();
                meta["uid"] = old["uid"]!.DeepClone();
                meta["creationTimestamp"] = old["creationTimestamp"]!.DeepClone();
                var specChanged = !JsonNode.DeepEquals(existing["spec"], result["spec"]);
                meta["generation"] = (old["generation"]?.GetValue<long>() ?? 1L) + (specChanged ? 1L : 0L);
                if (existing["status"] is { } status)
                {
                    result["status"] = status.DeepClone();
                }

                meta["resourceVersion"] = old["resourceVersion"]!.DeepClone();
                changed = !JsonNode.DeepEquals(existing, result);
            }

            if (changed)
            {
                meta["resourceVersion"] = dryRun ? CurrentVersion(meta) : NextVersion();
            }

            if (!dryRun)
            {
                _objects[path] = result;
                if (changed)
                {
                    Notify(collection, existing is null ? "ADDED" : "MODIFIED", result);
                }
            }

            // The stored object changes under the lock (status updates); answer with a copy taken here.
            result = (JsonObject)result.DeepClone();
        }

        if (!dryRun)
        {
            Timeline.Enqueue($"apply {result["kind"]}/{result["metadata"]!["name"]}");
            OnApplied?.Invoke(path, (JsonObject)result.DeepClone());
        }

        await JsonAsync(ctx, 200, result);

        static string CurrentVersion(JsonObject meta) => meta["resourceVersion"]?.GetValue<string>() ?? "0";
    }

    private async Task DeleteAsync(HttpContext ctx, string path, string collection, Dictionary<string, string> query)
    {
        var dryRun = query.TryGetValue("dryRun", out var d) && d == "All";
        JsonObject? removed;
        lock (_lock)
        {
            if (_objects.TryGetValue(path, out removed) && !dryRun)
            {
                _objects.Remove(path);
                Notify(collection, "DELETED", removed);
            }
        }

        if (removed is null)
        {
            await StatusAsync(ctx, 404, "NotFound", "not found");
            return;
        }

        if (!dryRun)
        {
            Timeline.Enqueue($"delete {removed["kind"]}/{removed["metadata"]!["name"]}");
        }

        await JsonAsync(ctx, 200, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success" });
    }

    private List<JsonObject> Select(string collection, Dictionary<string, string> query)
    {
        var labels = Selector(query, "labelSelector");
        var fields = Selector(query, "fieldSelector");
        return _objects.Where(kv => kv.Key[..kv.Key.LastIndexOf('/')] == collection)
            .Select(kv => kv.Value)
            .Where(o => labels.All(l => o["metadata"]?["labels"]?[l.Key]?.GetValue<string>() == l.Value))
            .Where(o => fields.All(f => FieldValue(o, f.Key) == f.Value))
            .Select(o => (JsonObject)o.DeepClone())
            .ToList();
    }

    private static string? FieldValue(JsonObject o, string field)
    {
        JsonNode? node = o;
        foreach (var part in field.Split('.'))
        {
            node = node?[part];
        }

        return node?.GetValue<string>();
    }

    private static Dictionary<string, string> Selector(Dictionary<string, string> query, string key) =>
        query.TryGetValue(key, out var s) && s.Length > 0
            ? s.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal)
            : [];

    private async Task ListAsync(HttpContext ctx, string collection, Dictionary<string, string> query)
    {
        List<JsonObject> items;
        string version;
        lock (_lock)
        {
            items = Select(collection, query);
            version = _resourceVersion.ToString(CultureInfo.InvariantCulture);
        }

        var kind = (items.FirstOrDefault()?["kind"]?.GetValue<string>() ?? "") + "List";
        var list = new JsonObject
        {
            ["kind"] = kind,
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = version },
            ["items"] = new JsonArray(items.Cast<JsonNode>().ToArray()),
        };
        await JsonAsync(ctx, 200, list);
    }

    private async Task WatchAsync(HttpContext ctx, string collection, Dictionary<string, string> query)
    {
        var channel = Channel.CreateUnbounded<string>();
        List<JsonObject> initial;
        lock (_lock)
        {
            // Registering and taking the snapshot under one lock: no change falls between the two.
            _watchers.Add((collection, channel));
            initial = Select(collection, query);
        }

        try
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            foreach (var item in initial)
            {
                await ctx.Response.WriteAsync(new JsonObject { ["type"] = "ADDED", ["object"] = item }.ToJsonString() + "\n", ctx.RequestAborted);
            }

            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            if (EndWatchesAfterSnapshot)
            {
                return;
            }

            await foreach (var line in channel.Reader.ReadAllAsync(ctx.RequestAborted))
            {
                await ctx.Response.WriteAsync(line + "\n", ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client ended the watch.
        }
        finally
        {
            lock (_lock)
            {
                _watchers.Remove((collection, channel));
            }
        }
    }

    private async Task ProxyAsync(HttpContext ctx, string serviceAndPort, string rest, string body)
    {
        var service = serviceAndPort.Split(':')[0];
        if (!Services.TryGetValue(service, out var target))
        {
            await StatusAsync(ctx, 503, "ServiceUnavailable", $"no endpoints available for service \"{service}\"");
            return;
        }

        await target.HandleAsync(ctx, rest, body);
    }

    private static Task JsonAsync(HttpContext ctx, int status, JsonNode body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(body.ToJsonString());
    }

    private static Task StatusAsync(HttpContext ctx, int code, string reason, string message) =>
        JsonAsync(ctx, code, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        });
}

/// <summary>A scripted MCP server behind the fake service proxy: Streamable HTTP with SSE answers and a session id.</summary>
/// <summary>A server behind the fake service proxy; with <paramref name="bearerToken"/>, <c>/mcp</c> answers 401 without that credential, as a gateway with auth does.</summary>
public sealed class FakeMcpServer(int tools, int readyStatus = 200, string readyPath = "ready", IReadOnlyList<string>? toolNames = null, string? bearerToken = null)
{
    private readonly string _session = Guid.NewGuid().ToString("N");

    public async Task HandleAsync(HttpContext ctx, string rest, string body)
    {
        if (rest == readyPath && ctx.Request.Method == "GET")
        {
            ctx.Response.StatusCode = readyStatus;
            await ctx.Response.WriteAsync(readyStatus == 200 ? "ready" : "not ready");
            return;
        }

        if (rest != "mcp" || ctx.Request.Method != "POST")
        {
            ctx.Response.StatusCode = 404;
            return;
        }

        if (bearerToken is not null && ctx.Request.Headers.Authorization.ToString() != "Bearer " + bearerToken)
        {
            ctx.Response.StatusCode = 401;
            ctx.Response.Headers.WWWAuthenticate = "Bearer";
            await ctx.Response.WriteAsync("""{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Unauthorized"}}""");
            return;
        }

        var accept = ctx.Request.Headers.Accept.ToString();
        if (!accept.Contains("application/json", StringComparison.Ordinal) || !accept.Contains("text/event-stream", StringComparison.Ordinal))
        {
            ctx.Response.StatusCode = 406;
            return;
        }

        var message = JsonNode.Parse(body)!.AsObject();
        var method = message["method"]!.GetValue<string>();
        if (method != "initialize" && ctx.Request.Headers["Mcp-Session-Id"].ToString() != _session)
        {
            ctx.Response.StatusCode = 400;
            await ctx.Response.WriteAsync("missing session");
            return;
        }

        if (message["id"] is null)
        {
            ctx.Response.StatusCode = 202;
            return;
        }

        JsonObject result = method switch
        {
            "initialize" => new JsonObject
            {
                ["protocolVersion"] = "2025-06-18",
                ["capabilities"] = new JsonObject { ["tools"] = new JsonObject() },
                ["serverInfo"] = new JsonObject { ["name"] = "fake", ["version"] = "1.0.0" },
            },
            "tools/list" => new JsonObject
            {
                ["tools"] = new JsonArray((toolNames ?? [.. Enumerable.Range(0, tools).Select(i => $"tool{i}")]).Select(n => (JsonNode)new JsonObject { ["name"] = n }).ToArray()),
            },
            _ => new JsonObject(),
        };
        ctx.Response.Headers["Mcp-Session-Id"] = _session;
        ctx.Response.ContentType = "text/event-stream";
        var answer = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = message["id"]!.DeepClone(), ["result"] = result };
        await ctx.Response.WriteAsync($"event: message\ndata: {answer.ToJsonString()}\n\n", Encoding.UTF8);
    }
}
