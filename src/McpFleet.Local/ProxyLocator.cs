namespace McpFleet.Local;

/// <summary>
/// Finds the <c>mcpfleet-proxy</c> executable that <c>up --local</c> runs stdio servers under: <c>MCPFLEET_PROXY</c>
/// when set, else <c>mcpfleet-proxy</c> next to the running program, else on <c>PATH</c> (docs/cli.md).
/// </summary>
public static class ProxyLocator
{
    /// <summary>The environment variable that names the proxy executable.</summary>
    public const string EnvironmentVariable = "MCPFLEET_PROXY";

    /// <summary>Finds the proxy.</summary>
    /// <param name="environment">Reads an environment variable (<see cref="Environment.GetEnvironmentVariable(string)"/> by default).</param>
    /// <param name="baseDirectory">The running program's directory (<see cref="AppContext.BaseDirectory"/> by default).</param>
    /// <returns>The full path, or <see langword="null"/> when none is found (or <c>MCPFLEET_PROXY</c> names no file).</returns>
    public static string? Find(Func<string, string?>? environment = null, string? baseDirectory = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment(EnvironmentVariable) is { Length: > 0 } named)
        {
            return File.Exists(named) ? Path.GetFullPath(named) : null;
        }

        var beside = Path.Combine(baseDirectory ?? AppContext.BaseDirectory, Spec.ResolvedProxy.BinaryName);
        if (File.Exists(beside))
        {
            return beside;
        }

        return (environment("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, Spec.ResolvedProxy.BinaryName))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The message for a stdio server when no proxy is found.</summary>
    internal static string Missing(string server) =>
        $"{server}: a stdio server runs under mcpfleet-proxy, which was not found ({EnvironmentVariable}, next to mcpfleet, or on PATH); not started";
}
