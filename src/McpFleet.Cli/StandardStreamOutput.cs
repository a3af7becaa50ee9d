using System.Text;
using Spectre.Console;

namespace McpFleet.Cli;

/// <summary>
/// Spectre's console output over standard output or error, with writes through a <see cref="GuardedWriter"/>; terminal
/// detection and size still come from the real stream, so colour and width work as before.
/// </summary>
/// <param name="writer">The stream's writer (<see cref="Console.Out"/> or <see cref="Console.Error"/>).</param>
/// <param name="stream">Its name, for error messages.</param>
internal sealed class StandardStreamOutput(TextWriter writer, string stream) : IAnsiConsoleOutput
{
    private readonly AnsiConsoleOutput _inner = new(writer);

    public TextWriter Writer { get; } = new GuardedWriter(writer, stream);

    public bool IsTerminal => _inner.IsTerminal;

    public int Width => _inner.Width;

    public int Height => _inner.Height;

    public void SetEncoding(Encoding encoding) => _inner.SetEncoding(encoding);
}
