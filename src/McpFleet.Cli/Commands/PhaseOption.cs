using System.CommandLine;
using System.Globalization;

namespace McpFleet.Cli.Commands;

/// <summary>The <c>--phase N</c> option of every verb that narrows to a phase, with a message a person can read.</summary>
internal static class PhaseOption
{
    /// <summary>Creates the option.</summary>
    /// <param name="name">The option name, <c>--phase</c> or <c>--from-phase</c>.</param>
    /// <param name="description">What the phase selects.</param>
    /// <returns>The option.</returns>
    public static Option<int?> Create(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var phase) && phase > 0)
            {
                return phase;
            }

            result.AddError($"{name} '{text}': expected a phase number (1 for the first phase)");
            return null;
        },
    };
}
