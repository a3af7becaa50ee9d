using System.Globalization;

namespace McpFleet.Cli.Commands;

/// <summary>Durations as the CLI's options spell them: <c>90s</c>, <c>5m</c>, <c>1h30m</c> or a number of seconds.</summary>
internal static class Durations
{
    /// <summary>Parses a duration.</summary>
    /// <param name="text">The text.</param>
    /// <param name="duration">The duration, when valid.</param>
    /// <returns><see langword="true"/> for a positive duration.</returns>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
            return seconds > 0;
        }

        var number = 0;
        var any = false;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                number = checked((number * 10) + (c - '0'));
                any = true;
                continue;
            }

            if (!any)
            {
                return false;
            }

            duration += c switch
            {
                'h' => TimeSpan.FromHours(number),
                'm' => TimeSpan.FromMinutes(number),
                's' => TimeSpan.FromSeconds(number),
                _ => TimeSpan.MinValue,
            };
            if (duration < TimeSpan.Zero)
            {
                return false;
            }

            number = 0;
            any = false;
        }

        return !any && duration > TimeSpan.Zero;
    }
}
