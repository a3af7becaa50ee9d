namespace McpFleet.Upstreams.Processes;

/// <summary>What to start as a child process.</summary>
public sealed record ChildProcessStartInfo
{
    /// <summary>Gets the executable (a path, or a name looked up on <c>PATH</c>).</summary>
    public required string FileName { get; init; }

    /// <summary>Gets the arguments, each passed as is (no shell).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Gets variables to set (or, with a <see langword="null"/> value, remove) on top of this process's environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Gets the working directory, or <see langword="null"/> for this process's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Gets the callback for each line the child writes to stderr (called on one thread, in order).</summary>
    public Action<string>? StandardErrorLine { get; init; }
}
