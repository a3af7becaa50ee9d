namespace McpFleet.Spec;

/// <summary>
/// What a command line says about an MCP server, from its words alone: whether it starts a stdio MCP server, whether it
/// fetches a package at run time, whether it is <c>mcpfleet-proxy</c>. The one home of these shapes, for
/// <c>lint</c> and <c>import compose</c>.
/// </summary>
internal static class StdioCommands
{
    /// <summary>The run-time package runners: each fetches (and may update) the package when the container starts.</summary>
    private static readonly (string Runner, string? Flag)[] s_fetchers =
        [("npx", "-y"), ("npx", "--yes"), ("uvx", null), ("pipx", "run"), ("bunx", null), ("npm", "exec"), ("pnpm", "dlx")];

    /// <summary>Splits a command and its arguments into words, each argument on blanks too (<c>sh -c "npx -y pkg"</c>).</summary>
    /// <param name="arguments">The command and its arguments.</param>
    /// <returns>The words.</returns>
    public static List<string> Words(IEnumerable<string> arguments) =>
        [.. arguments.SelectMany(a => a.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)).Select(w => w.Trim('\'', '"')).Where(w => w.Length > 0)];

    /// <summary>Finds a run-time package fetch (<c>npx -y</c>, <c>uvx</c>, <c>pipx run</c>, <c>bunx</c>, <c>npm exec</c>, <c>pnpm dlx</c>).</summary>
    /// <param name="words">The command's words.</param>
    /// <returns>The runner as written (e.g. <c>npx -y</c>), or <see langword="null"/>.</returns>
    public static string? RuntimeFetch(IReadOnlyList<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            var name = Program(words[i]);
            foreach (var (runner, flag) in s_fetchers)
            {
                if (name != runner)
                {
                    continue;
                }

                if (flag is null)
                {
                    return runner;
                }

                if (!flag.StartsWith('-'))
                {
                    // A subcommand: pipx run, npm exec, pnpm dlx.
                    if (i + 1 < words.Count && words[i + 1] == flag)
                    {
                        return $"{runner} {flag}";
                    }

                    continue;
                }

                // An option, which may follow others: npx --quiet -y pkg.
                for (var j = i + 1; j < words.Count && words[j].StartsWith('-'); j++)
                {
                    if (words[j] == flag)
                    {
                        return $"{runner} {flag}";
                    }
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the words start a stdio MCP server: <c>npx [-y] @modelcontextprotocol/server-*</c>, an executable
    /// <c>mcp-server-*</c> (also through <c>uvx</c>), <c>python -m mcp_server_*</c>, or a package or executable named
    /// <c>*-mcp-server</c> / <c>*mcp-server-*</c>.
    /// </summary>
    /// <param name="words">The command's words.</param>
    /// <returns><see langword="true"/> for a stdio MCP server command.</returns>
    public static bool LooksLikeStdioServer(IReadOnlyList<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var name = Program(word);
            if (word.StartsWith("@modelcontextprotocol/server-", StringComparison.Ordinal)
                || name.StartsWith("mcp-server-", StringComparison.Ordinal)
                || name.EndsWith("-mcp-server", StringComparison.Ordinal)
                || (word.StartsWith("mcp_server_", StringComparison.Ordinal) && i > 0 && words[i - 1] == "-m"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The mode <c>mcpfleet-proxy</c> runs in (<c>stdio</c>, <c>http</c> or <c>install</c>), or <see langword="null"/> when the words do not run it.</summary>
    /// <param name="words">The container's command and args as words.</param>
    /// <param name="image">The container's image: a container with only args runs its image's entrypoint, the proxy for the proxy's image.</param>
    /// <returns>The mode, or <see langword="null"/>.</returns>
    public static string? ProxyMode(IReadOnlyList<string> words, string? image)
    {
        for (var i = 0; i + 1 < words.Count; i++)
        {
            if (Program(words[i]) == ResolvedProxy.BinaryName && words[i + 1] is "stdio" or "http" or "install")
            {
                return words[i + 1];
            }
        }

        return words.Count > 0 && words[0] is "stdio" or "http" or "install" && IsProxyImage(image) ? words[0] : null;
    }

    /// <summary>Whether an image is the proxy's: <c>…/mcpfleet/proxy</c> or <c>…/mcpfleet-proxy</c>, any tag.</summary>
    public static bool IsProxyImage(string? image)
    {
        if (image is null)
        {
            return false;
        }

        var repository = image.Split('@')[0];
        var colon = repository.LastIndexOf(':');
        if (colon > repository.LastIndexOf('/'))
        {
            repository = repository[..colon];
        }

        return repository.EndsWith("mcpfleet/proxy", StringComparison.Ordinal) || repository.EndsWith("mcpfleet-proxy", StringComparison.Ordinal);
    }

    /// <summary>Whether an image reference looks Alpine (musl): <c>alpine</c> in its name or tag.</summary>
    public static bool LooksAlpine(string? image) => image?.Contains("alpine", StringComparison.OrdinalIgnoreCase) == true;

    // The program name of a word: the last path segment (/usr/local/bin/npx -> npx).
    private static string Program(string word) => word[(word.LastIndexOf('/') + 1)..];
}
