using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace McpFleet.Proxy.Tests;

/// <summary>
/// Closed-loop load against the proxy: each worker sends one <c>tools/call</c> after another and files every outcome,
/// so a test can say which calls succeeded, which failed and how, and that none hung.
/// </summary>
internal sealed class LoadDriver : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http;
    private readonly List<Task> _workers;
    private int _ok;

    public LoadDriver(ProxyProcess proxy, int workers, Func<int, string> body, Func<int, string, bool> isOk)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers }) { Timeout = TimeSpan.FromSeconds(30) };
        _workers = [.. Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkAsync(proxy.McpUrl, w, body, isOk)))];
    }

    /// <summary>Gets the number of calls answered correctly.</summary>
    public int Ok => Volatile.Read(ref _ok);

    /// <summary>Gets the calls that failed, each with how.</summary>
    public ConcurrentQueue<string> Failures { get; } = new();

    /// <summary>Gets the calls the proxy refused with 503 before they reached the server.</summary>
    public ConcurrentQueue<string> Refused { get; } = new();

    /// <summary>Gets the calls whose connection was refused (the proxy no longer listens).</summary>
    public ConcurrentQueue<string> NotAccepted { get; } = new();

    /// <summary>Gets the calls that did not finish within the client's 30 s.</summary>
    public ConcurrentQueue<string> Hung { get; } = new();

    /// <summary>Waits until <paramref name="condition"/> holds, or fails the test at the bound.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan bound, Func<string> describe)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < bound, $"not reached within {bound}: {describe()}");
            await Task.Delay(20);
        }
    }

    /// <summary>Stops the load and waits for every worker.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task WorkAsync(Uri url, int worker, Func<int, string> body, Func<int, string, bool> isOk)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body(worker), Encoding.UTF8, "application/json") };
                request.Headers.Accept.ParseAdd("application/json, text/event-stream");
                using var response = await _http.SendAsync(request, _stop.Token);
                var text = await response.Content.ReadAsStringAsync(_stop.Token);
                if (response.StatusCode == HttpStatusCode.OK && isOk(worker, text))
                {
                    Interlocked.Increment(ref _ok);
                }
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null)
                {
                    Refused.Enqueue(text);
                }
                else
                {
                    Failures.Enqueue($"{(int)response.StatusCode}: {text}");
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (TaskCanceledException ex)
            {
                Hung.Enqueue(ex.Message);
            }
            catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                NotAccepted.Enqueue(ex.Message);
                await Task.Delay(10);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                Failures.Enqueue($"{ex.GetType().Name}: {ex.Message}");
            }
        }
    }
}
