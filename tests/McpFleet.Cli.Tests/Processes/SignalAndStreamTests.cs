using System.Diagnostics;

namespace McpFleet.Cli.Tests.Processes;

/// <summary>What only a real process shows: SIGTERM's exit code, a full stdout, a machine without any kubeconfig.</summary>
public sealed class SignalAndStreamTests() : CliHarness("mcpfleet-process-")
{
    [Fact]
    public async Task Render_SigtermWhileWriting_ExitsInterruptedNotFindingsAndKeepsTheOldTree()
    {
        // Arrange: an earlier render of a fleet large enough that writing takes a while.
        var fleet = TestFleets.Write(Path.Combine(Temp, "f"), 1500, "1.0.0");
        Assert.Equal(0, (await CliProcess.RunAsync(Temp, "render", "f", "--out", "out")).ExitCode);
        var before = TestFleets.Snapshot(Path.Combine(Temp, "out"));
        TestFleets.Write(fleet, 1500, "2.0.0");

        // Act: SIGTERM once the new tree is being written; a run that finishes first is tried again.
        CliRun? interrupted = null;
        for (var attempt = 0; attempt < 5 && interrupted is null; attempt++)
        {
            var process = CliProcess.Start(Temp, ["render", "f", "--out", "out"]);
            var prefix = $".out.tmp-{process.Id}-";
            var clock = Stopwatch.StartNew();
            while (!process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)
                && !Directory.EnumerateFileSystemEntries(Temp).Any(e => Path.GetFileName(e).StartsWith(prefix, StringComparison.Ordinal)))
            {
                await Task.Delay(1, TestContext.Current.CancellationToken);
            }

            if (!process.HasExited)
            {
                CliProcess.Signal(process, "TERM");
            }

            var run = await CliProcess.WaitAsync(process);
            interrupted = run.ExitCode == 0 ? null : run;
            if (interrupted is null)
            {
                // That render finished and replaced the tree: it is the old tree for the next try, which writes a newer one.
                before = TestFleets.Snapshot(Path.Combine(Temp, "out"));
                TestFleets.Write(fleet, 1500, $"{attempt + 3}.0.0");
            }
        }

        // Assert
        Assert.NotNull(interrupted);
        Assert.Equal(ExitCodes.Interrupted, interrupted.ExitCode);
        Assert.Contains("error: interrupted (Ctrl-C or SIGTERM)", interrupted.Error, StringComparison.Ordinal);
        Assert.True(TestFleets.Same(before, TestFleets.Snapshot(Path.Combine(Temp, "out"))));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Temp), e => Path.GetFileName(e).StartsWith('.'));
    }

    [Theory]
    [InlineData("render", "{fleet}", "--out", "-")]
    [InlineData("lint", "{fleet}/values", "--format", "json")]
    public async Task Verb_StandardOutputIsDevFull_OneLineAndExitThree(params string[] args)
    {
        // Arrange
        var fleet = TestFleets.Write(Path.Combine(Temp, "f"), 2, "1.0.0");
        await File.WriteAllTextAsync(Path.Combine(fleet, "values", "ns.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n", TestContext.Current.CancellationToken);
        string[] command = [.. args.Select(a => a.Replace("{fleet}", fleet, StringComparison.Ordinal))];
        if (command[0] == "render")
        {
            File.Delete(Path.Combine(fleet, "values", "ns.yaml"));
        }

        // Act
        var run = await CliProcess.WaitAsync(CliProcess.Start("sh", ["-c", "exec \"$@\" > /dev/full", "sh", "dotnet", CliProcess.Dll, .. command], Temp));

        // Assert
        Assert.Equal(3, run.ExitCode);
        Assert.Equal("error: cannot write to standard output: No space left on device\n", run.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Status_NoKubeconfigAnywhere_SaysSoInOneLineAndExitsTwo()
    {
        var home = Directory.CreateDirectory(Path.Combine(Temp, "home")).FullName;
        var environment = new Dictionary<string, string?>
        {
            ["KUBECONFIG"] = null, ["HOME"] = home, ["KUBERNETES_SERVICE_HOST"] = null, ["KUBERNETES_SERVICE_PORT"] = null,
        };

        var run = await CliProcess.WaitAsync(CliProcess.Start(Temp, ["status", Example], environment));

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: no kubeconfig: no KUBECONFIG, no ~/.kube/config, and not in a pod; pass --kubeconfig FILE (to preview the manifests without a cluster: mcpfleet render <fleet-dir> --out -)", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
    }
}
