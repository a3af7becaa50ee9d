using System.Globalization;

namespace McpFleet.Spec;

/// <summary>
/// A strict parser for Kubernetes resource quantities (<c>500m</c>, <c>1</c>, <c>1.5</c>, <c>2e3</c>, <c>1Gi</c>), so the
/// loader can reject <c>1GB</c> and compare limits with requests.
/// </summary>
/// <remarks>
/// Follows the grammar of <c>k8s.io/apimachinery/pkg/api/resource</c>: a signed decimal number, then one suffix: a binary
/// SI suffix (<c>Ki Mi Gi Ti Pi Ei</c>), a decimal SI suffix (<c>n u m k M G T P E</c>, or none), or a decimal exponent
/// (<c>e3</c>, <c>E-2</c>).
/// </remarks>
public static class Quantity
{
    private static readonly Dictionary<string, double> s_suffixes = new(StringComparer.Ordinal)
    {
        [""] = 1,
        ["n"] = 1e-9,
        ["u"] = 1e-6,
        ["m"] = 1e-3,
        ["k"] = 1e3,
        ["M"] = 1e6,
        ["G"] = 1e9,
        ["T"] = 1e12,
        ["P"] = 1e15,
        ["E"] = 1e18,
        ["Ki"] = 1024d,
        ["Mi"] = 1024d * 1024,
        ["Gi"] = 1024d * 1024 * 1024,
        ["Ti"] = 1024d * 1024 * 1024 * 1024,
        ["Pi"] = 1024d * 1024 * 1024 * 1024 * 1024,
        ["Ei"] = 1024d * 1024 * 1024 * 1024 * 1024 * 1024,
    };

    /// <summary>Parses <paramref name="text"/> to its value in base units (cores, bytes).</summary>
    /// <param name="text">The quantity, e.g. <c>500m</c>.</param>
    /// <param name="value">The value; 0.5 for <c>500m</c>, 1073741824 for <c>1Gi</c>.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a Kubernetes quantity.</returns>
    public static bool TryParse(string? text, out double value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var i = 0;
        if (text[i] is '+' or '-')
        {
            i++;
        }

        var intDigits = CountDigits(text, ref i);
        var fracDigits = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            fracDigits = CountDigits(text, ref i);
        }

        if (intDigits + fracDigits == 0)
        {
            return false;
        }

        var number = text[..i];
        var suffix = text[i..];
        double multiplier;
        if (suffix.Length > 1 && suffix[0] is 'e' or 'E')
        {
            // A decimal exponent: an optionally signed integer after e/E.
            var j = 1;
            if (suffix[j] is '+' or '-')
            {
                j++;
            }

            var expStart = j;
            if (CountDigits(suffix, ref j) == 0 || j != suffix.Length
                || !int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent)
                || j - expStart > 3)
            {
                return false;
            }

            multiplier = Math.Pow(10, exponent);
        }
        else if (!s_suffixes.TryGetValue(suffix, out multiplier))
        {
            return false;
        }

        if (!double.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        value = n * multiplier;
        return true;
    }

    /// <summary>Suggests a correction for a common mistake: <c>1GB</c> → <c>1Gi</c>, <c>512MB</c> → <c>512Mi</c>.</summary>
    /// <param name="text">The rejected quantity.</param>
    /// <returns>A suggestion, or <see langword="null"/>.</returns>
    public static string? Suggest(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (wrong, right) in new[] { ("KB", "Ki"), ("MB", "Mi"), ("GB", "Gi"), ("TB", "Ti"), ("K", "k"), ("kb", "Ki"), ("mb", "Mi"), ("gb", "Gi"), ("KiB", "Ki"), ("MiB", "Mi"), ("GiB", "Gi") })
        {
            if (text.EndsWith(wrong, StringComparison.Ordinal) && TryParse(text[..^wrong.Length] + right, out _))
            {
                return text[..^wrong.Length] + right;
            }
        }

        var trimmed = text.Replace(" ", "", StringComparison.Ordinal);
        return trimmed != text && TryParse(trimmed, out _) ? trimmed : null;
    }

    private static int CountDigits(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i - start;
    }
}
