using System.Text;

namespace McpFleet.Cli;

/// <summary>A writer over standard output or error that reports a failed write as a <see cref="StandardStreamException"/>.</summary>
/// <param name="inner">The stream's writer.</param>
/// <param name="stream">Its name, for the message.</param>
internal sealed class GuardedWriter(TextWriter inner, string stream) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value) => Guard(() => inner.Write(value));

    public override void Write(string? value) => Guard(() => inner.Write(value));

    public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));

    public override void WriteLine() => Guard(inner.WriteLine);

    public override void WriteLine(string? value) => Guard(() => inner.WriteLine(value));

    public override void Flush() => Guard(inner.Flush);

    private void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (IOException e) when (e is not StandardStreamException)
        {
            throw new StandardStreamException(stream, e);
        }
    }
}
