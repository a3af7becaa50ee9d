namespace McpFleet.Cli;

/// <summary>Standard output or standard error cannot be written (a full disk, <c>/dev/full</c>, a closed terminal).</summary>
/// <remarks>Thrown by <see cref="GuardedWriter"/> so the one top-level handler can tell it from any other I/O error.</remarks>
internal sealed class StandardStreamException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="stream">The stream's name, e.g. <c>standard output</c>.</param>
    /// <param name="inner">The write failure.</param>
    public StandardStreamException(string stream, IOException inner)
        : base($"cannot write to {stream}: {Reason(inner)}", inner)
    {
        Stream = stream;
    }

    /// <summary>Gets the stream's name.</summary>
    public string Stream { get; }

    private static string Reason(IOException e) => e.Message.TrimEnd('.', ' ');
}
