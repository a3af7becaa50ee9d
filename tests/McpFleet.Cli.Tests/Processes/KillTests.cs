using System.Diagnostics;
using System.Text;

namespace McpFleet.Cli.Tests.Processes;

/// <summary>
/// <c>kill -9</c> of a real <c>mcpfleet</c> at random moments: the output is the old tree or the new one, never a mix,
/// and the next run removes what the killed ones left (D15, D25, issue 12). Half the kills land anywhere in the run,
/// half while the new tree is being written (after its temp directory appears).
/// </summary>
public sealed class KillTests() : CliHarness("mcpfleet-kill-")
{
    private const int Rounds = 12;

    [Fact]
    public Task Render_KilledAtRandomMoments_LeavesTheOldOrTheNewTreeNeverAMix() =>
        KillRoundsAsync("out", version => ["render", Fleet(version), "--out", "out"]);

    [Fact]
    public Task HelmValues_KilledAtRandomMoments_LeavesTheOldOrTheNewFilesNeverAMix() =>
        KillRoundsAsync("hv", version => ["helm", "values", Fleet(version), "--out", "hv"]);

    [Fact]
    public Task ImportCompose_KilledAtRandomMoments_LeavesTheOldOrTheNewFleetNeverAMix() =>
        KillRoundsAsync("fleet", version => ["import", "compose", Compose(version), "--out", "fleet"]);

    private async Task KillRoundsAsync(string output, Func<string, string[]> command)
    {
        // Arrange: the two outputs, each made by a run to the end.
        var target = Path.Combine(Temp, output);
        var expected = new Dictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        foreach (var version in new[] { "2.0.0", "1.0.0" })
        {
            var run = await CliProcess.RunAsync(Temp, command(version));
            Assert.True(run.ExitCode is 0 or 1, run.Error);
            expected[version] = TestFleets.Snapshot(target);
        }

        var runTime = clock.Elapsed / 2;
        Assert.False(TestFleets.Same(expected["1.0.0"], expected["2.0.0"]));
        var random = new Random(12);
        var current = "1.0.0";
        var landedMidWrite = 0;

        // Act and assert, round by round.
        for (var round = 0; round < Rounds; round++)
        {
            var next = current == "1.0.0" ? "2.0.0" : "1.0.0";
            var process = CliProcess.Start(Temp, command(next));
            try
            {
                if (round % 2 == 0)
                {
                    await Task.Delay(runTime * random.NextDouble() * 1.2, TestContext.Current.CancellationToken);
                }
                else if (await TempAppearsAsync(output, process))
                {
                    landedMidWrite++;
                    await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 40)), TestContext.Current.CancellationToken);
                }
            }
            finally
            {
                CliProcess.End(process);
            }

            var now = TestFleets.Snapshot(target);
            var state = TestFleets.Same(now, expected[current]) ? current : TestFleets.Same(now, expected[next]) ? next : null;
            Assert.True(state is not null, $"round {round}: {output} is neither the {current} output nor the {next} one:\n{Describe(now, expected[current], expected[next])}");
            current = state!;
        }

        // The next run ends normally and leaves nothing beside the target.
        var last = await CliProcess.RunAsync(Temp, command(current == "1.0.0" ? "2.0.0" : "1.0.0"));
        Assert.True(last.ExitCode is 0 or 1, last.Error);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Temp), e => Path.GetFileName(e).StartsWith('.'));
        Assert.True(landedMidWrite > 0 || runTime < TimeSpan.FromSeconds(30), "no kill landed while the tree was written");
    }

    // Waits (polling) until the run's temp tree exists beside the target, or the run ends.
    private async Task<bool> TempAppearsAsync(string output, Process process)
    {
        var prefix = $".{output}.tmp-{process.Id}-";
        var deadline = Stopwatch.StartNew();
        while (!process.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (Directory.EnumerateFileSystemEntries(Temp).Any(e => Path.GetFileName(e).StartsWith(prefix, StringComparison.Ordinal)))
            {
                return true;
            }

            await Task.Delay(1, TestContext.Current.CancellationToken);
        }

        return false;
    }

    private string Fleet(string version) => TestFleets.Write(Path.Combine(Temp, "fleet-" + version), 120, version);

    private string Compose(string version)
    {
        var path = Path.Combine(Temp, $"compose-{version}.yml");
        var compose = new StringBuilder("services:\n");
        for (var i = 0; i < 20; i++)
        {
            compose.Append(System.Globalization.CultureInfo.InvariantCulture, $"  s{i:D2}:\n    image: registry.example/mcp-s{i:D2}:v{version}\n    ports: [\"{9000 + i}:{9000 + i}\"]\n");
        }

        File.WriteAllText(path, compose.ToString());
        return path;
    }

    private static string Describe(SortedDictionary<string, string> now, SortedDictionary<string, string> a, SortedDictionary<string, string> b) =>
        string.Join('\n', now.Select(kv => $"{kv.Key}: {(a.TryGetValue(kv.Key, out var x) && x == kv.Value ? "old" : b.TryGetValue(kv.Key, out var y) && y == kv.Value ? "new" : "neither")}"));
}
