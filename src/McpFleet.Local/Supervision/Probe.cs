using System.Globalization;
using System.Net.Sockets;

namespace McpFleet.Local.Supervision;

/// <summary>One HTTP probe of a local server, as the kubelet makes it: a GET with a timeout, 2xx and 3xx succeed.</summary>
/// <param name="Ok">Whether the probe succeeded.</param>
/// <param name="Outcome">What it got, for messages: <c>HTTP 200</c>, <c>HTTP 503: draining</c>, <c>connection refused</c> ….</param>
internal sealed record Probe(bool Ok, string Outcome)
{
    private const int ExcerptLength = 120;

    /// <summary>Probes <paramref name="path"/> on <c>127.0.0.1:<paramref name="port"/></c>.</summary>
    /// <param name="http">The client.</param>
    /// <param name="port">The server's port.</param>
    /// <param name="path">The probe path.</param>
    /// <param name="time">The clock of the probe's timeout.</param>
    /// <param name="cancellationToken">Stops probing.</param>
    /// <returns>The result.</returns>
    public static async Task<Probe> GetAsync(HttpClient http, int port, string path, TimeProvider time, CancellationToken cancellationToken)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(RuntimeContract.Probes.TimeoutSeconds), time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"), timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var ok = status is >= 200 and < 400;
            var outcome = $"HTTP {status.ToString(CultureInfo.InvariantCulture)}";
            if (!ok && status != 404)
            {
                // The body of a failing readiness answer usually says why (a dependency down, draining).
                var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                var excerpt = string.Join(' ', body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                outcome += excerpt.Length == 0 ? "" : ": " + (excerpt.Length > ExcerptLength ? excerpt[..ExcerptLength] + "…" : excerpt);
            }

            return new(ok, outcome);
        }
        catch (HttpRequestException e)
        {
            return new(false, e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } ? "connection refused" : e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(false, $"no answer within {RuntimeContract.Probes.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)}s");
        }
    }
}
