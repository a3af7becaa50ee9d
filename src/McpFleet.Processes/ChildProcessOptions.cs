namespace McpFleet.Processes;

/// <summary>What one of a child's standard streams is connected to.</summary>
public enum ChildStdio
{
    /// <summary><c>/dev/null</c>.</summary>
    Null,

    /// <summary>The parent's own stream.</summary>
    Inherit,

    /// <summary>A pipe, exposed as a <see cref="Stream"/> on the <see cref="ChildProcess"/>.</summary>
    Pipe,
}

/// <summary>How to start a <see cref="ChildProcess"/>.</summary>
/// <param name="FileName">The program: a path (relative to <see cref="WorkingDirectory"/>) or a name looked up on PATH.</param>
/// <param name="Arguments">Its arguments, passed as they are (no shell).</param>
public sealed record ChildProcessOptions(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Gets the working directory, or null for the parent's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Gets changes to the parent's environment: a value sets the variable, null removes it. Everything else is inherited.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Gets what standard input is connected to; <see cref="ChildStdio.Pipe"/> gives <see cref="ChildProcess.StandardInput"/>.</summary>
    public ChildStdio StandardInput { get; init; } = ChildStdio.Null;

    /// <summary>Gets what standard output is connected to; ignored when <see cref="OutputLine"/> is set.</summary>
    public ChildStdio StandardOutput { get; init; } = ChildStdio.Null;

    /// <summary>Gets what standard error is connected to; ignored when <see cref="ErrorLine"/> is set.</summary>
    public ChildStdio StandardError { get; init; } = ChildStdio.Null;

    /// <summary>
    /// Gets a callback for each UTF-8 line the child writes to standard output, called on one thread at a time. Every
    /// line is delivered before <see cref="ChildProcess.WaitForExitAsync"/> completes.
    /// </summary>
    public Action<string>? OutputLine { get; init; }

    /// <summary>Gets a callback for each line of standard error, as <see cref="OutputLine"/>.</summary>
    public Action<string>? ErrorLine { get; init; }

    /// <summary>Gets the clock of <see cref="ChildProcess.StopAsync"/>'s bound.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
