namespace McpFleet.IO;

/// <summary>
/// An output target McpFleet must not replace: the root directory, a file, a dangling link, a directory it did not
/// write. Nothing has been written when it is thrown.
/// </summary>
/// <remarks>The message is a reason that reads after the user's path: <c>out is a file, not a directory</c>.</remarks>
public sealed class OutputRefusedException : Exception
{
    /// <summary>Creates the exception with a default reason.</summary>
    public OutputRefusedException()
        : base("may not be replaced")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The reason, to follow the target's path.</param>
    public OutputRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    /// <param name="message">The reason, to follow the target's path.</param>
    /// <param name="innerException">The cause.</param>
    public OutputRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
