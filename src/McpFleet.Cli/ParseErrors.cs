using System.CommandLine;

namespace McpFleet.Cli;

/// <summary>Prints System.CommandLine's parse errors, with a did-you-mean for a misspelt verb or option.</summary>
internal static class ParseErrors
{
    /// <summary>Writes one <c>error:</c> line per problem and a pointer to the help.</summary>
    /// <param name="context">Where to print.</param>
    /// <param name="parse">The failed parse.</param>
    public static void Write(CliContext context, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(parse);
        var command = parse.CommandResult.Command;
        var path = CommandPath(parse);
        if (command.Subcommands.Count > 0 && parse.UnmatchedTokens is [var verb, ..] && !verb.StartsWith('-'))
        {
            // A misspelt verb also produces "Required command was not provided" and one error per following token.
            var suggestion = Closest(verb, command.Subcommands.Select(c => c.Name));
            context.Fail($"'{verb}' is not a command of '{path}'{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}");
        }
        else
        {
            foreach (var error in parse.Errors)
            {
                var unknown = parse.UnmatchedTokens.FirstOrDefault(t => t.StartsWith('-') && error.Message.Contains($"'{t}'", StringComparison.Ordinal));
                var suggestion = unknown is null ? null : Closest(unknown, command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)));
                context.Fail(error.Message + (suggestion is null ? "" : $" Did you mean '{suggestion}'?"));
            }
        }

        context.Say($"Run '{path} --help' for usage.");
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command.Name);
        }

        names[^1] = "mcpfleet";
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>The candidate nearest to <paramref name="typed"/> by edit distance, when it is near enough to be a typo.</summary>
    private static string? Closest(string typed, IEnumerable<string> candidates)
    {
        var best = candidates
            .Select(c => (Name: c, Distance: Distance(typed, c)))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(1, typed.Length / 3) ? best.Name : null;
    }

    // Edit distance with adjacent transpositions (optimal string alignment): "rendr" and "--otu" are one edit away.
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
