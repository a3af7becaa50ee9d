using System.Diagnostics;
using System.Net;
using System.Text;

namespace McpFleet.Hosting.Tests;

/// <summary>A rolling update in miniature: two replicas behind a round-robin front that honours <c>/ready</c>.</summary>
public sealed class DrainUnderLoadTests
{
    private const int Concurrency = 16;
    private const int MinimumRequests = 10_000;
    private static readonly TimeSpan s_drainDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_shutdownTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task DrainUnderLoad_SigtermOneOfTwoReplicas_ZeroFailedRequests_ExitsWithinBound()
    {
        var environment = new Dictionary<string, string>
        {
            ["McpFleet__DrainDelay"] = s_drainDelay.ToString(),
            ["McpFleet__ShutdownTimeout"] = s_shutdownTimeout.ToString(),
            ["Logging__LogLevel__Default"] = "Warning", // keep the test's stdout capture out of the measurement
        };
        await using var leaving = await ServerProcess.StartAsync("Conformance", environment);
        await using var staying = await ServerProcess.StartAsync("Conformance", environment);
        using var front = new RoundRobinFront([leaving, staying]);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var ok = 0;
        var servedAfterSigterm = new int[2];
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var sigtermSent = 0;
        var workers = Enumerable.Range(0, Concurrency).Select(w => Task.Run(async () =>
        {
            var body = $$$$"""{"jsonrpc":"2.0","id":{{{{w}}}},"method":"tools/call","params":{"name":"echo","arguments":{"message":"w{{{{w}}}}"}}}""";
            while (!stop.IsCancellationRequested)
            {
                var (index, replica) = front.Next();
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, replica.McpUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                    request.Headers.Accept.ParseAdd("application/json, text/event-stream");
                    using var response = await http.SendAsync(request, stop.Token);
                    var text = await response.Content.ReadAsStringAsync(stop.Token);
                    if (response.StatusCode == HttpStatusCode.OK && text.Contains($"\"text\":\"w{w}\"", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref ok);
                        if (Volatile.Read(ref sigtermSent) == 1)
                        {
                            Interlocked.Increment(ref servedAfterSigterm[index]);
                        }
                    }
                    else
                    {
                        failures.Enqueue($"replica {index}: {(int)response.StatusCode} {text}");
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
                {
                    failures.Enqueue($"replica {index}: {ex.GetType().Name}: {ex.Message}");
                }
            }
        })).ToList();

        // Steady load first, then SIGTERM while the load goes on.
        await WaitUntilAsync(() => Volatile.Read(ref ok) >= MinimumRequests / 4 || !failures.IsEmpty, TimeSpan.FromSeconds(120));
        var clock = Stopwatch.StartNew();
        leaving.Terminate();
        Volatile.Write(ref sigtermSent, 1);
        var exitedInTime = await leaving.WaitForExitAsync(s_drainDelay + s_shutdownTimeout + TimeSpan.FromSeconds(3));
        var exitTime = clock.Elapsed;
        await WaitUntilAsync(() => Volatile.Read(ref ok) >= MinimumRequests || !failures.IsEmpty, TimeSpan.FromSeconds(120));
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{ok} ok, {failures.Count} failed; after SIGTERM: leaving {servedAfterSigterm[0]}, staying {servedAfterSigterm[1]}; leaving exited after {exitTime}");
        Assert.True(failures.IsEmpty, $"{failures.Count} failed requests of {ok + failures.Count}, e.g.:\n{string.Join('\n', failures.Take(5))}");
        Assert.True(ok >= MinimumRequests, $"only {ok} requests");
        Assert.True(exitedInTime, $"the terminated replica did not exit within {s_drainDelay + s_shutdownTimeout}:\n{leaving.Output}");
        Assert.Equal(0, leaving.ExitCode);
        Assert.True(exitTime >= s_drainDelay, $"exited after {exitTime}, before the drain delay of {s_drainDelay}");
        Assert.True(servedAfterSigterm[1] > 0, "the staying replica took no load after SIGTERM");
        Assert.True(front.SawNotReady[0], "the front never saw the leaving replica's /ready turn 503");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < timeout)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// The test's stand-in for a Service: round-robin over replicas whose <c>/ready</c> answered 200 at the last poll
    /// (every 100 ms, like an endpoints controller with a fast readiness probe).
    /// </summary>
    private sealed class RoundRobinFront : IDisposable
    {
        private readonly ServerProcess[] _replicas;
        private readonly bool[] _ready;
        private readonly CancellationTokenSource _stop = new();
        private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(1) };
        private int _next;

        public RoundRobinFront(ServerProcess[] replicas)
        {
            _replicas = replicas;
            _ready = [.. replicas.Select(_ => true)];
            SawNotReady = new bool[replicas.Length];
            _ = Task.Run(PollAsync);
        }

        public bool[] SawNotReady { get; }

        public (int Index, ServerProcess Replica) Next()
        {
            for (var attempt = 0; ; attempt++)
            {
                var i = (int)((uint)Interlocked.Increment(ref _next) % (uint)_replicas.Length);
                if (Volatile.Read(ref _ready[i]) || attempt > 1000)
                {
                    return (i, _replicas[i]);
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
            _probe.Dispose();
        }

        private async Task PollAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                for (var i = 0; i < _replicas.Length; i++)
                {
                    bool ready;
                    try
                    {
                        using var response = await _probe.GetAsync(new Uri($"http://127.0.0.1:{_replicas[i].Port}{RuntimeContract.ReadyPath}"), _stop.Token);
                        ready = response.StatusCode == HttpStatusCode.OK;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                    {
                        ready = false;
                    }

                    Volatile.Write(ref _ready[i], ready);
                    SawNotReady[i] |= !ready;
                }

                try
                {
                    await Task.Delay(100, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
