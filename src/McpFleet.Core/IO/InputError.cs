using System.Diagnostics.CodeAnalysis;

namespace McpFleet.IO;

/// <summary>Why an input file could not be read.</summary>
public enum InputErrorKind
{
    /// <summary>Nothing exists at the path.</summary>
    Missing,

    /// <summary>The path is not a regular file: a directory, FIFO, device, socket, dangling or looping symbolic link.</summary>
    NotAFile,

    /// <summary>The file is larger than the limit.</summary>
    TooLarge,

    /// <summary>The file exists but reading it failed (permission, an I/O error).</summary>
    Unreadable,

    /// <summary>The bytes are not text: invalid UTF-8 (or UTF-16/32 after a byte order mark), or a NUL byte.</summary>
    NotText,
}

/// <summary>Why an input could not be read: one line, without the path (the caller names the file).</summary>
/// <param name="Kind">The kind of failure.</param>
/// <param name="Message">What is wrong, e.g. <c>is a named pipe (FIFO), not a regular file</c>.</param>
/// <param name="Line">The 1-based line of a <see cref="InputErrorKind.NotText"/> failure, else 0.</param>
/// <param name="Column">The 1-based column of a <see cref="InputErrorKind.NotText"/> failure, else 0.</param>
public sealed record InputError(InputErrorKind Kind, string Message, int Line = 0, int Column = 0);

/// <summary>The text of an input, or why there is none.</summary>
/// <param name="Text">The decoded text, when <see cref="Error"/> is <see langword="null"/>.</param>
/// <param name="Error">Why the input could not be read.</param>
public sealed record InputReadResult(string? Text, InputError? Error)
{
    /// <summary>Gets a value indicating whether the input was read.</summary>
    [MemberNotNullWhen(true, nameof(Text))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Success => Error is null;
}
