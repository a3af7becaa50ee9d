using System.Text;
using Spectre.Console;

namespace McpFleet.Cli;

/// <summary>A <see cref="TextWriter"/> over an <see cref="IAnsiConsole"/>, so System.CommandLine's help reaches the same console.</summary>
internal sealed class SpectreWriter(IAnsiConsole console) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => console.Write(value.ToString());

    public override void Write(string? value)
    {
        if (value is not null)
        {
            console.Profile.Out.Writer.Write(value);
        }
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        Write(NewLine);
    }
}
