using System.Diagnostics;

namespace McpFleet.Gateway.Federation;

/// <summary>
/// The one <see cref="HttpClient"/> that carries every request to every upstream: pooled connections (renewed every
/// two minutes, so a Service's new endpoints are picked up), a short connect timeout (a dead upstream fails fast), no
/// overall timeout (each request has its upstream's), and the W3C trace context of the client's request. It never
/// carries the caller's <c>Authorization</c>: requests to upstreams are built by the gateway, not copied. Nor does it keep
/// what one upstream answer set for the next request: no cookies (an ingress's sticky-session cookie would otherwise be
/// sent on every caller's behalf) and no redirects followed (a 307 would replay a caller's arguments to wherever it points;
/// the upstream's URL is the config's, and a redirect is reported as the upstream's failure). Both also take a handler
/// off every request's path.
/// </summary>
internal sealed class UpstreamHttpClient : IDisposable
{
    /// <summary>Initializes a new instance of the <see cref="UpstreamHttpClient"/> class.</summary>
    public UpstreamHttpClient()
    {
        var sockets = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        var handler = new TraceContextHandler(sockets);
        Client = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>Gets the client.</summary>
    public HttpClient Client { get; }

    /// <summary>
    /// Gets the same handlers without <see cref="HttpClient"/>'s layer, for the fast path's POSTs: that layer links a
    /// token source per request (for a timeout the gateway does not use and for <c>CancelPendingRequests</c>) and adds
    /// an async frame, which the fast path pays on every call for nothing.
    /// </summary>
    public HttpMessageInvoker Invoker { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Client.Dispose();
        Invoker.Dispose();
    }

    /// <summary>
    /// Adds <c>traceparent</c> (and <c>tracestate</c>) of the current activity, the client's request at the gateway, so an
    /// upstream's logs carry the same trace id. .NET adds it only while something listens to its HTTP client activities.
    /// </summary>
    private sealed class TraceContextHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity && !request.Headers.Contains("traceparent"))
            {
                _ = request.Headers.TryAddWithoutValidation("traceparent", activity.Id);
                if (activity.TraceStateString is { Length: > 0 } state)
                {
                    _ = request.Headers.TryAddWithoutValidation("tracestate", state);
                }
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
