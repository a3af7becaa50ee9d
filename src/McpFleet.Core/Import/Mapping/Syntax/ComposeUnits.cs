using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace McpFleet.Import.Mapping.Syntax;

/// <summary>Compose value formats: byte sizes, CPU counts, durations and shell-style command strings.</summary>
internal static partial class ComposeUnits
{
    private static readonly (string Suffix, decimal Factor)[] s_binaryUnits =
    [
        ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Gi", 1024m * 1024 * 1024),
        ("Mi", 1024m * 1024),
        ("Ki", 1024m),
    ];

    /// <summary>
    /// Converts a Compose byte size to an exact Kubernetes quantity. Compose (docker/go-units <c>RAMInBytes</c>) reads
    /// <c>k</c>, <c>m</c>, <c>g</c>, <c>t</c> (any case, with or without a trailing <c>b</c>) as powers of 1024, so
    /// <c>512m</c> is 512 MiB and becomes <c>512Mi</c>, <c>1.5G</c> becomes <c>1536Mi</c> and <c>100k</c> becomes
    /// <c>100Ki</c>. The result uses the largest binary suffix that divides the byte count exactly, else plain bytes.
    /// </summary>
    /// <param name="value">The Compose value, e.g. <c>512M</c>, <c>1.5gb</c> or <c>1073741824</c>.</param>
    /// <param name="quantity">The Kubernetes quantity.</param>
    /// <param name="rounded">Set when a fraction of a byte had to be rounded up.</param>
    /// <returns><see langword="false"/> when the value is not a byte size.</returns>
    public static bool TryMemory(string value, out string quantity, out bool rounded)
    {
        quantity = "";
        rounded = false;
        var match = ByteSize().Match(value.Trim());
        if (!match.Success || !decimal.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var factor = char.ToLowerInvariant(match.Groups[2].Value.FirstOrDefault()) switch
        {
            'k' => 1024m,
            'm' => 1024m * 1024,
            'g' => 1024m * 1024 * 1024,
            't' => 1024m * 1024 * 1024 * 1024,
            'p' => 1024m * 1024 * 1024 * 1024 * 1024,
            _ => 1m,
        };
        var exact = number * factor;
        var bytes = decimal.Ceiling(exact);
        rounded = bytes != exact;
        if (bytes <= 0)
        {
            return false;
        }

        foreach (var (suffix, unit) in s_binaryUnits)
        {
            if (bytes % unit == 0)
            {
                quantity = (bytes / unit).ToString("0", CultureInfo.InvariantCulture) + suffix;
                return true;
            }
        }

        quantity = bytes.ToString("0", CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>
    /// Converts Compose <c>cpus</c> (a decimal number of cores) to a Kubernetes CPU quantity: whole cores stay a
    /// number (<c>2</c>), anything else becomes millicores (<c>0.5</c> → <c>500m</c>, <c>1.25</c> → <c>1250m</c>);
    /// below a millicore rounds up.
    /// </summary>
    /// <param name="value">The Compose value.</param>
    /// <param name="quantity">The Kubernetes quantity.</param>
    /// <param name="rounded">Set when the value had more precision than a millicore.</param>
    /// <returns><see langword="false"/> when the value is not a positive number.</returns>
    public static bool TryCpu(string value, out string quantity, out bool rounded)
    {
        quantity = "";
        rounded = false;
        if (!decimal.TryParse(value.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cores) || cores <= 0)
        {
            return false;
        }

        if (cores == decimal.Truncate(cores))
        {
            quantity = cores.ToString("0", CultureInfo.InvariantCulture);
            return true;
        }

        var exact = cores * 1000;
        var milli = decimal.Ceiling(exact);
        rounded = milli != exact;
        quantity = milli.ToString("0", CultureInfo.InvariantCulture) + "m";
        return true;
    }

    /// <summary>Parses a Compose duration (<c>1m30s</c>, <c>500ms</c>, <c>2h</c>) to whole seconds, rounding up.</summary>
    /// <param name="value">The duration.</param>
    /// <param name="seconds">The seconds.</param>
    /// <returns><see langword="false"/> when it does not parse.</returns>
    public static bool TryDurationSeconds(string value, out int seconds)
    {
        seconds = 0;
        if (!Durations.TryParseSeconds(value.Trim(), allowSeconds: false, out var total))
        {
            return false;
        }

        seconds = (int)decimal.Ceiling(total);
        return true;
    }

    /// <summary>Splits a command string the way Compose does (POSIX shell words, no expansion).</summary>
    /// <param name="command">The command string.</param>
    /// <returns>The words.</returns>
    public static IReadOnlyList<string> SplitShellWords(string command)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c == '\'')
            {
                var end = command.IndexOf('\'', i + 1);
                end = end < 0 ? command.Length : end;
                current.Append(command, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                for (i++; i < command.Length && command[i] != '"'; i++)
                {
                    if (command[i] == '\\' && i + 1 < command.Length && command[i + 1] is '"' or '\\' or '$' or '`')
                    {
                        i++;
                    }

                    current.Append(command[i]);
                }
            }
            else if (c == '\\' && i + 1 < command.Length)
            {
                current.Append(command[++i]);
            }
            else
            {
                current.Append(c);
            }
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    /// <summary>Finds the comment at the end of a YAML line: text after a <c>#</c> that follows a space, outside quotes.</summary>
    /// <param name="line">The line.</param>
    /// <returns>The comment without <c>#</c>, or <see langword="null"/>.</returns>
    public static string? TrailingComment(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[(i + 1)..].Trim();
            }
        }

        return null;
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*([kKmMgGtTpP]?)(?:[bB]|[iI][bB])?$")]
    private static partial Regex ByteSize();
}
