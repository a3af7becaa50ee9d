using System.Text.RegularExpressions;
using McpFleet.Diagnostics;
using McpFleet.Spec.Validation;

namespace McpFleet.Import.Passes;

/// <summary>Checks the option values that do not depend on the Compose files (MCI013), before anything is read.</summary>
internal static partial class OptionChecks
{
    /// <summary>Reports each option value that cannot be used.</summary>
    /// <param name="options">The options.</param>
    /// <param name="errors">Receives MCI013.</param>
    public static void Check(ComposeImportOptions options, DiagnosticBag errors)
    {
        if (options.Namespace is { } ns && !SpecText.IsDnsLabel(ns))
        {
            var suggestion = SpecText.SuggestDnsLabel(ns);
            errors.Error(ImportCodes.InvalidOption, SourceLocation.OfFile("--namespace"), $"'{ns}' is not a namespace: a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters){(suggestion.Length > 0 ? $", e.g. '{suggestion}'" : "")}");
        }

        if (options.Ports is { } ports && (ports.Min < 1 || ports.Max > 65535 || ports.Min > ports.Max))
        {
            errors.Error(ImportCodes.InvalidOption, SourceLocation.OfFile("--ports"), $"{ports.Min}-{ports.Max} is not a port range: MIN-MAX with 1 <= MIN <= MAX <= 65535");
        }

        foreach (var profile in options.Profiles.Where(p => p != "*" && !ProfileName().IsMatch(p)))
        {
            errors.Error(ImportCodes.InvalidOption, SourceLocation.OfFile("--profile"), $"'{profile}' is not a Compose profile name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)");
        }

        foreach (var service in options.Include.Intersect(options.Exclude, StringComparer.Ordinal))
        {
            errors.Error(ImportCodes.InvalidOption, SourceLocation.OfFile("--exclude"), $"'{service}' is both included (--include) and excluded (--exclude)");
        }
    }

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex ProfileName();
}
