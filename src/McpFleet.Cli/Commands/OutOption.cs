using System.CommandLine;

namespace McpFleet.Cli.Commands;

/// <summary>The <c>--out</c> option of the verbs that write: required, and never empty (which would mean the working directory).</summary>
internal static class OutOption
{
    /// <summary>Creates the option.</summary>
    /// <param name="description">What is written there.</param>
    /// <returns>The option.</returns>
    public static Option<string> Create(string description)
    {
        var option = new Option<string>("--out") { Description = description, Required = true };
        option.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: "" }])
            {
                result.AddError("--out is empty: give the output directory");
            }
        });
        return option;
    }
}
