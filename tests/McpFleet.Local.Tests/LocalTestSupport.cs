using System.Collections.Concurrent;
using McpFleet.Local;
using McpFleet.Local.State;
using McpFleet.Tests;

namespace McpFleet.Local.Tests;

/// <summary>Records what a local run reports.</summary>
public sealed class LocalRecorder : ILocalProgress
{
    public ConcurrentQueue<string> Events { get; } = new();

    public ConcurrentQueue<string> Lines { get; } = new();

    public void ServerEvent(string server, string message) => Events.Enqueue($"{server}: {message}");

    public void Output(string server, string line) => Lines.Enqueue($"[{server}] {line}");

    public string? GatewayUrl { get; private set; }

    public void GatewayReady(string url) => GatewayUrl = url;

    public int IndexOf(string prefix) => Events.ToList().FindIndex(e => e.StartsWith(prefix, StringComparison.Ordinal));
}

/// <summary>Waits on the runner's state file and checks processes.</summary>
public static class LocalTestSupport
{
    /// <summary>Waits until the state file matches <paramref name="condition"/>; fails with the events and output otherwise.</summary>
    public static async Task<LocalState> WaitForStateAsync(string path, Func<LocalState, bool> condition, Task<LocalRunResult> run, LocalRecorder progress)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        LocalState? last = null;
        while (true)
        {
            Assert.False(bound.IsCancellationRequested, $"state never matched; last: {System.Text.Json.JsonSerializer.Serialize(last)}\n{Describe(progress)}");
            Assert.False(run.IsCompleted, $"the runner ended: {(run.IsCompletedSuccessfully ? run.Result.Error : run.Exception?.Message)}\n{Describe(progress)}");
            try
            {
                last = LocalState.Read(path) ?? last;
                if (last is not null && condition(last))
                {
                    return last;
                }
            }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
            {
                // Read while the runner renames a new state in: try again.
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public static string Describe(LocalRecorder progress) =>
        string.Join("\n", progress.Events) + "\n" + string.Join("\n", progress.Lines.TakeLast(30));

    /// <summary>The pids of every process whose working directory is <paramref name="directory"/> (Linux /proc).</summary>
    public static IReadOnlyList<int> ProcessesIn(string directory) => ProcessTable.InDirectory(directory);

    public static bool IsGone(int pid) => ProcessTable.IsGone(pid);

    /// <summary>A file a referenced project built (…/bin/&lt;this test's configuration&gt;/net10.0/&lt;file&gt;).</summary>
    public static string Built(string folder, string project, string file)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = Path.Combine(Golden.RepoRoot(), folder, project, "bin", configuration, "net10.0", file);
        Assert.True(File.Exists(path), $"{path} is missing: build tests/McpFleet.Local.Tests (it references {project}).");
        return path;
    }
}
