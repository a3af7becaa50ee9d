using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace McpFleet.Local.Containers;

/// <summary>The output of one <c>podman</c> command.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="StandardOutput">What it wrote to stdout.</param>
/// <param name="StandardError">What it wrote to stderr.</param>
public sealed record PodmanResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Gets a value indicating whether the command exited 0.</summary>
    public bool Success => ExitCode == 0;

    /// <summary>Gets Podman's error lines on one line (its warnings left out), else the last line of stdout.</summary>
    public string Message => Join(StandardError) ?? Join(StandardOutput, last: true) ?? $"exit code {ExitCode}";

    private static string? Join(string text, bool last = false)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.Contains("level=warning", StringComparison.Ordinal))
            .ToList();
        return lines.Count == 0 ? null : last ? lines[^1] : string.Join("; ", lines);
    }
}

/// <summary>Runs the <c>podman</c> command line. Podman is a command, not a library, for .NET; its CLI is its stable API.</summary>
/// <param name="executable">The podman executable (default: <c>podman</c> on the PATH).</param>
public sealed class PodmanCli(string executable = "podman")
{
    /// <summary>The message when Podman is not installed.</summary>
    public const string MissingMessage =
        "podman is not installed: install it with 'apt-get install podman runc' (Debian, Ubuntu) or 'dnf install podman', or run 'bash eng/tools.sh' in a McpFleet checkout";

    /// <summary>Runs podman with <paramref name="arguments"/> and waits for it.</summary>
    /// <param name="arguments">The arguments.</param>
    /// <param name="cancellationToken">Kills podman when cancelled.</param>
    /// <returns>Its exit code and output.</returns>
    /// <exception cref="PodmanMissingException">Podman is not installed.</exception>
    public async Task<PodmanResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var psi = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new PodmanMissingException(MissingMessage);
        }
        catch (Win32Exception e)
        {
            throw new PodmanMissingException(MissingMessage, e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return new PodmanResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
    }

    /// <summary>Runs podman with <paramref name="arguments"/>.</summary>
    /// <param name="cancellationToken">Kills podman when cancelled.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>Its exit code and output.</returns>
    public Task<PodmanResult> RunAsync(CancellationToken cancellationToken, params string[] arguments) => RunAsync(arguments.AsEnumerable(), cancellationToken);
}

/// <summary>Podman is not installed.</summary>
public sealed class PodmanMissingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PodmanMissingException() : base(PodmanCli.MissingMessage) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is missing.</param>
    public PodmanMissingException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is missing.</param>
    /// <param name="inner">The cause.</param>
    public PodmanMissingException(string message, Exception inner) : base(message, inner) { }
}
