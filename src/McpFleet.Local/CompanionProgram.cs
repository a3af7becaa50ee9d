namespace McpFleet.Local;

/// <summary>
/// One of McpFleet's own programs that <c>up --local</c> starts beside the servers (<c>mcpfleet-proxy</c> for stdio
/// servers, <c>mcpfleet-gateway</c> in front of them), found the same way for both: the file its environment variable
/// names when set, else the one next to the running <c>mcpfleet</c>, else on <c>PATH</c> (docs/cli.md).
/// </summary>
/// <param name="FileName">The executable's file name.</param>
/// <param name="EnvironmentVariable">The environment variable that names the executable.</param>
public sealed record CompanionProgram(string FileName, string EnvironmentVariable)
{
    /// <summary>Gets <c>mcpfleet-proxy</c> (<c>MCPFLEET_PROXY</c>).</summary>
    public static CompanionProgram Proxy { get; } = new(Spec.ResolvedProxy.BinaryName, "MCPFLEET_PROXY");

    /// <summary>Gets <c>mcpfleet-gateway</c> (<c>MCPFLEET_GATEWAY</c>).</summary>
    public static CompanionProgram Gateway { get; } = new("mcpfleet-gateway", "MCPFLEET_GATEWAY");

    /// <summary>Finds the program.</summary>
    /// <param name="environment">Reads an environment variable (<see cref="Environment.GetEnvironmentVariable(string)"/> by default).</param>
    /// <param name="baseDirectory">The running program's directory (<see cref="AppContext.BaseDirectory"/> by default).</param>
    /// <param name="missing">Why it was not found, in words that end a sentence, or <see langword="null"/>.</param>
    /// <returns>The full path, or <see langword="null"/>.</returns>
    public string? Find(Func<string, string?>? environment, string? baseDirectory, out string? missing)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment(EnvironmentVariable) is { Length: > 0 } named)
        {
            // A variable set to a wrong path is a mistake to report, not a reason to run some other copy.
            var full = Path.GetFullPath(named);
            missing = File.Exists(full) ? null : $"{EnvironmentVariable}={named} names no file";
            return missing is null ? full : null;
        }

        var found = new[] { baseDirectory ?? AppContext.BaseDirectory }
            .Concat((environment("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            .Select(directory => Path.GetFullPath(Path.Combine(directory, FileName)))
            .FirstOrDefault(File.Exists);
        missing = found is null ? $"{FileName} was not found ({EnvironmentVariable} is not set, and it is neither next to mcpfleet nor on PATH)" : null;
        return found;
    }

    /// <summary>Finds the program in this process's environment and directory.</summary>
    /// <param name="missing">Why it was not found, or <see langword="null"/>.</param>
    /// <returns>The full path, or <see langword="null"/>.</returns>
    public string? Find(out string? missing) => Find(null, null, out missing);
}
