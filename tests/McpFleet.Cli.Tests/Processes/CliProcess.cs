using System.Diagnostics;

namespace McpFleet.Cli.Tests.Processes;

/// <summary>Runs the built <c>mcpfleet</c> as a real process, for what only a process has: signals, kill -9, real stdout.</summary>
internal static class CliProcess
{
    /// <summary>Gets the CLI's assembly, copied next to the tests by the project reference.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "mcpfleet.dll");

    /// <summary>
    /// Starts <c>dotnet mcpfleet.dll args</c>, or the installed <c>mcpfleet</c> in <c>MCPFLEET_CLI</c> (such as the Native
    /// AOT tool), with stdout and stderr redirected.
    /// </summary>
    /// <param name="workingDirectory">The working directory.</param>
    /// <param name="args">The command line.</param>
    /// <param name="environment">Variables to set (a null value removes one).</param>
    /// <returns>The started process; the caller ends it.</returns>
    public static Process Start(string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null) =>
        Environment.GetEnvironmentVariable("MCPFLEET_CLI") is { Length: > 0 } binary
            ? Start(binary, args, workingDirectory, environment)
            : Start("dotnet", [Dll, .. args], workingDirectory, environment);

    /// <summary>Starts any program with stdout and stderr redirected.</summary>
    /// <param name="program">The program.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="workingDirectory">The working directory.</param>
    /// <param name="environment">Variables to set (a null value removes one).</param>
    /// <returns>The started process; the caller ends it.</returns>
    public static Process Start(string program, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(program, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        return Process.Start(info)!;
    }

    /// <summary>Runs to the end and returns the exit code and both outputs; the process is killed if the test is cancelled.</summary>
    /// <param name="process">A started process.</param>
    /// <returns>What it did.</returns>
    public static async Task<CliRun> WaitAsync(Process process)
    {
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken);
            return new CliRun(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            End(process);
        }
    }

    /// <summary>Runs <c>mcpfleet args</c> to the end.</summary>
    /// <param name="workingDirectory">The working directory.</param>
    /// <param name="args">The command line.</param>
    /// <returns>What it did.</returns>
    public static Task<CliRun> RunAsync(string workingDirectory, params string[] args) => WaitAsync(Start(workingDirectory, args));

    /// <summary>Sends a signal (<c>kill -s</c>).</summary>
    /// <param name="process">The process.</param>
    /// <param name="signal">The signal name, e.g. <c>TERM</c>.</param>
    public static void Signal(Process process, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    /// <summary>Kills the process (SIGKILL) if it still runs, and waits for it.</summary>
    /// <param name="process">The process.</param>
    public static void End(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }
}
