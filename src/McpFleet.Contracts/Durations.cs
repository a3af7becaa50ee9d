using System.Globalization;

namespace McpFleet;

/// <summary>
/// The one home of how McpFleet reads and writes a duration: the spec's <c>refreshInterval</c>, Compose's
/// <c>start_period</c>, the CLI's <c>--timeout</c>, the proxy's <c>--request-timeout</c> and the durations in messages.
/// </summary>
/// <remarks>
/// The syntax is Go's <c>time.ParseDuration</c> without a sign, because Kubernetes, Compose and the External Secrets
/// Operator all read durations that way: one or more decimal numbers, each with a unit <c>ns</c>, <c>us</c>
/// (<c>µs</c>), <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c> (<c>1h30m</c>, <c>500ms</c>, <c>2.5s</c>). Options that take
/// a plain number of seconds as well (<c>--timeout 300</c>) say so with <c>allowSeconds</c>. This assembly has no
/// dependencies, so every McpFleet assembly can call it.
/// </remarks>
public static class Durations
{
    /// <summary>Parses a duration to seconds, exactly (so a caller can round as its format needs).</summary>
    /// <param name="text">The text, without surrounding blanks.</param>
    /// <param name="allowSeconds">Also accept a plain decimal number of seconds (<c>30</c>, <c>2.5</c>).</param>
    /// <param name="seconds">The duration in seconds, when the text is one.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a duration.</returns>
    public static bool TryParseSeconds(string? text, bool allowSeconds, out decimal seconds)
    {
        seconds = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var i = 0;
        if (!TryNumber(text, ref i, out var number))
        {
            return false;
        }

        if (i == text.Length)
        {
            seconds = allowSeconds ? number : 0;
            return allowSeconds;
        }

        var total = 0m;
        while (true)
        {
            var unit = Unit(text, ref i);
            if (unit == 0)
            {
                return false;
            }

            try
            {
                total += number * unit;
            }
            catch (OverflowException)
            {
                return false;
            }

            if (i == text.Length)
            {
                break;
            }

            if (!TryNumber(text, ref i, out number))
            {
                return false;
            }
        }

        seconds = total;
        return true;
    }

    /// <summary>Parses a duration.</summary>
    /// <param name="text">The text, without surrounding blanks.</param>
    /// <param name="allowSeconds">Also accept a plain decimal number of seconds (<c>30</c>, <c>2.5</c>).</param>
    /// <param name="duration">The duration (to the tick, 100 ns), when the text is one that fits a <see cref="TimeSpan"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a duration.</returns>
    public static bool TryParse(string? text, bool allowSeconds, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (!TryParseSeconds(text, allowSeconds, out var seconds) || seconds >= (decimal)TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    /// <summary>Tells whether a text is a duration in Go's syntax (no plain number), as <c>refreshInterval</c> must be.</summary>
    /// <param name="text">The text.</param>
    /// <returns><see langword="true"/> for a duration.</returns>
    public static bool IsDuration(string? text) => TryParseSeconds(text, allowSeconds: false, out _);

    /// <summary>Formats a duration for a message: <c>45s</c>, <c>5m</c>, <c>2m30s</c>, <c>1h</c> or <c>1h30m</c> (whole units, truncated).</summary>
    /// <param name="duration">The duration.</param>
    /// <returns>The text.</returns>
    public static string Format(TimeSpan duration) =>
        duration.TotalSeconds < 60 ? $"{(int)duration.TotalSeconds}s"
        : duration.TotalMinutes < 60 ? (duration.Seconds == 0 ? $"{(int)duration.TotalMinutes}m" : $"{(int)duration.TotalMinutes}m{duration.Seconds}s")
        : (duration.Minutes == 0 ? $"{(int)duration.TotalHours}h" : $"{(int)duration.TotalHours}h{duration.Minutes}m");

    // digits, optionally '.' and more digits (Go also takes ".5" and "5.", which no reader of ours ever accepted).
    private static bool TryNumber(string text, ref int i, out decimal number)
    {
        number = 0;
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i == start)
        {
            return false;
        }

        if (i < text.Length && text[i] == '.')
        {
            var fraction = ++i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == fraction)
            {
                return false;
            }
        }

        return decimal.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number);
    }

    private static decimal Unit(string text, ref int i)
    {
        var rest = text.AsSpan(i);
        (int Length, decimal Seconds) unit =
            rest.StartsWith("ns") ? (2, 0.000_000_001m)
            : rest.StartsWith("us") || rest.StartsWith("µs") ? (2, 0.000_001m)
            : rest.StartsWith("ms") ? (2, 0.001m)
            : rest.StartsWith("s") ? (1, 1m)
            : rest.StartsWith("m") ? (1, 60m)
            : rest.StartsWith("h") ? (1, 3600m)
            : (0, 0m);
        i += unit.Length;
        return unit.Seconds;
    }
}
