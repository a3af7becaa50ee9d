using System.Diagnostics;
using System.Text;

namespace McpFleet.Tests;

/// <summary>The result of running an outside tool.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="StandardOutput">Everything written to stdout.</param>
/// <param name="StandardError">Everything written to stderr.</param>
public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Fails the test, showing the output, unless the tool exited 0.</summary>
    /// <returns>This result.</returns>
    public ToolResult EnsureSuccess()
    {
        Assert.True(ExitCode == 0, $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        return this;
    }
}

/// <summary>
/// Finds and runs the outside checkers that eng/tools.sh installs into .tools/ (Helm 4, Node 22, npm packages, kubectl).
/// A missing tool fails the test with the command that installs it; it never skips.
/// </summary>
public static class ExternalTools
{
    /// <summary>Gets the .tools directory of this checkout.</summary>
    public static string ToolsDirectory => Environment.GetEnvironmentVariable("MCPFLEET_TOOLS") is { Length: > 0 } t
        ? t
        : Path.Combine(Golden.RepoRoot(), ".tools");

    /// <summary>Gets the Helm 4 binary.</summary>
    public static string Helm => Require(Path.Combine(ToolsDirectory, "bin", "helm"));

    /// <summary>Gets the Node 22 binary.</summary>
    public static string Node => Require(Path.Combine(ToolsDirectory, "node", "bin", "node"));

    /// <summary>Gets the node_modules directory with the npm checkers.</summary>
    public static string NodeModules => Require(Path.Combine(ToolsDirectory, "npm", "node_modules"));

    /// <summary>Gets kubectl (part of the machine image).</summary>
    public static string Kubectl =>
        Environment.GetEnvironmentVariable("MCPFLEET_KUBECTL") is { Length: > 0 } k ? k : "kubectl";

    /// <summary>Runs a tool to completion, feeding <paramref name="stdin"/> when given.</summary>
    /// <param name="fileName">The executable.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="stdin">Text for stdin, or <see langword="null"/>.</param>
    /// <param name="workingDirectory">The working directory, or the repo root.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="timeout">Kill the tool after this long (default 2 minutes).</param>
    /// <returns>The result.</returns>
    public static async Task<ToolResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string? stdin = null,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            WorkingDirectory = workingDirectory ?? Golden.RepoRoot(),
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in {timeout ?? TimeSpan.FromMinutes(2)}");
        }

        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }

    private static string Require(string path) =>
        File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new InvalidOperationException($"{path} is missing: run 'bash eng/tools.sh' (eng/test.sh does this first).");
}
