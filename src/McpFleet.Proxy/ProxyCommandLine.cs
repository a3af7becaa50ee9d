using System.Globalization;

namespace McpFleet.Proxy;

/// <summary>
/// Parses <c>mcpfleet-proxy stdio [options] [--] &lt;command&gt; [args…]</c> and <c>mcpfleet-proxy http --upstream &lt;url&gt; [options]</c>.
/// Hand-written rather than System.CommandLine: everything from the server's command on belongs to the server, so
/// <c>npx -y pkg</c> keeps its <c>-y</c> (punkpeye/mcp-proxy#22 lost it to the bridge's own parser).
/// </summary>
internal static class ProxyCommandLine
{
    /// <summary>Exit code of a command line that cannot run: nothing was started.</summary>
    public const int UsageExitCode = 2;

    public const string Usage = """
        usage: mcpfleet-proxy stdio [options] [--] <command> [args...]
               mcpfleet-proxy http --upstream <url> [options]
               mcpfleet-proxy check-libc [root]     glibc or musl in a root filesystem (exit 0 for glibc)
               mcpfleet-proxy install <dir>         copy this binary to <dir>/mcpfleet-proxy, mode 0755 (a pod's init container)

        Serves an MCP server on MCP Streamable HTTP at /mcp, with /health and /ready on SERVER_PORT and /metrics on
        METRICS_PORT, JSON logs, the SIGTERM drain, Host/Origin checks and MCP_API_KEYS, as McpFleet.Hosting does.

        options:
          --name <name>               server name (MCP serverInfo) when no server-config.json names it
          --port <port>               MCP and probe port (default: SERVER_PORT, server-config.json, 8080)
          --metrics-port <port>       metrics port (default: METRICS_PORT, 9464)
          --max-concurrency <n>       requests in flight to the server at once; more get 503 + Retry-After (64)
          --request-timeout <time>    bound of one request; over it the request is cancelled in the server (120s)
          --initialize-timeout <time> how long the server may take to answer initialize (30s)
          --ping-interval <time>      ping the server when it was quiet this long (2s)
          --ping-timeout <time>       a ping slower than this makes /ready 503; three in a row restart it (2s)
          --protocol-version <v>      protocol version asked of the server in initialize (2025-11-25)
          --stop-timeout <time>       stdin closed, SIGTERM, then SIGKILL when this is over (5s)
          --cwd <dir>                 working directory of the server (stdio)
          --env <NAME=VALUE>          environment variable for the server, repeatable (stdio)
          -h, --help                  this text
        <time> is 500ms, 30s, 2m or a number of seconds.
        """;

    private static readonly Dictionary<string, (string Key, Func<string, string?> Parse)> s_settings = new(StringComparer.Ordinal)
    {
        ["--name"] = ("McpFleet:ServerName", Text),
        ["--port"] = ("McpFleet:Port", Port),
        ["--metrics-port"] = ("McpFleet:MetricsPort", Port),
        ["--max-concurrency"] = (ProxyOptions.SectionName + ":MaxConcurrency", Positive),
        ["--request-timeout"] = (ProxyOptions.SectionName + ":RequestTimeout", Duration),
        ["--initialize-timeout"] = (ProxyOptions.SectionName + ":InitializeTimeout", Duration),
        ["--ping-interval"] = (ProxyOptions.SectionName + ":PingInterval", Duration),
        ["--ping-timeout"] = (ProxyOptions.SectionName + ":PingTimeout", Duration),
        ["--protocol-version"] = (ProxyOptions.SectionName + ":ProtocolVersion", Text),
        ["--stop-timeout"] = (ProxyOptions.SectionName + ":StopTimeout", Duration),
    };

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="error">A one-line message when it cannot run (or <c>help</c>).</param>
    /// <returns>The invocation, or null with <paramref name="error"/> set.</returns>
    public static ProxyInvocation? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            error = "help";
            return null;
        }

        ProxyMode mode;
        switch (args[0])
        {
            case "stdio":
                mode = ProxyMode.Stdio;
                break;
            case "http":
                mode = ProxyMode.Http;
                break;
            default:
                error = $"unknown mode '{args[0]}': the first argument is 'stdio' or 'http'";
                return null;
        }

        var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? upstream = null, cwd = null;
        var i = 1;
        for (; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                i++;
                break;
            }

            if (!arg.StartsWith('-'))
            {
                break; // the server's command: everything from here on is the server's
            }

            if (arg is "-h" or "--help")
            {
                error = "help";
                return null;
            }

            var (name, inline) = SplitInline(arg);
            string? Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                return ++i < args.Count ? args[i] : null;
            }

            if (s_settings.TryGetValue(name, out var setting))
            {
                var raw = Value();
                var parsed = raw is null ? null : setting.Parse(raw);
                if (parsed is null)
                {
                    error = raw is null ? $"{name} needs a value" : $"{name}: '{raw}' is not valid ({Expected(setting.Parse)})";
                    return null;
                }

                settings[setting.Key] = parsed;
                continue;
            }

            switch (name)
            {
                case "--upstream" when mode == ProxyMode.Http:
                    upstream = Value();
                    if (upstream is null)
                    {
                        error = "--upstream needs a value";
                        return null;
                    }

                    break;
                case "--cwd" when mode == ProxyMode.Stdio:
                    cwd = Value();
                    if (cwd is null)
                    {
                        error = "--cwd needs a value";
                        return null;
                    }

                    break;
                case "--env" when mode == ProxyMode.Stdio:
                    var pair = Value();
                    var eq = pair?.IndexOf('=', StringComparison.Ordinal) ?? -1;
                    if (pair is null || eq <= 0)
                    {
                        error = $"--env: '{pair}' is not NAME=VALUE";
                        return null;
                    }

                    environment[pair[..eq]] = pair[(eq + 1)..];
                    break;
                default:
                    error = mode == ProxyMode.Stdio
                        ? $"unknown option '{arg}' (if it belongs to the server's command, put -- before the command)"
                        : $"unknown option '{arg}'";
                    return null;
            }
        }

        if (mode == ProxyMode.Stdio)
        {
            if (i >= args.Count)
            {
                error = "stdio needs the server's command: mcpfleet-proxy stdio [options] -- <command> [args...]";
                return null;
            }

            return new ProxyInvocation
            {
                Mode = mode,
                Command = args[i],
                Arguments = [.. args.Skip(i + 1)],
                WorkingDirectory = cwd,
                Environment = environment,
                Settings = settings,
            };
        }

        if (i < args.Count)
        {
            error = $"http takes no command ('{args[i]}'); the server is at --upstream";
            return null;
        }

        if (upstream is null)
        {
            error = "http needs --upstream <url>, the server's MCP endpoint (e.g. http://127.0.0.1:8081/mcp)";
            return null;
        }

        if (!Uri.TryCreate(upstream, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            error = $"--upstream: '{upstream}' is not an http:// or https:// URL";
            return null;
        }

        return new ProxyInvocation { Mode = mode, Upstream = uri, Settings = settings };
    }

    private static (string Name, string? Inline) SplitInline(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && eq > 2 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }

    private static string? Text(string value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string? Port(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535 ? value : null;

    private static string? Positive(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? value : null;

    private static string? Duration(string value) =>
        Durations.TryParse(value, allowSeconds: true, out var duration) ? duration.ToString("c", CultureInfo.InvariantCulture) : null;

    private static string Expected(Func<string, string?> parse) =>
        parse == Port ? "a TCP port, 1-65535" : parse == Positive ? "a whole number > 0" : parse == Duration ? "a time such as 500ms, 30s or 2m" : "a non-empty text";
}
