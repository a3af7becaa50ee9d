using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace McpFleet.IO;

/// <summary>
/// Reads every input file of McpFleet (fleet specs, manifests to lint, Compose and env files, configs, standard input):
/// only regular files, up to a size limit, as strict text.
/// </summary>
/// <remarks>
/// <para>
/// A named pipe would block the reader for ever and <c>/dev/zero</c> never ends, so anything but a regular file is
/// refused before it is opened, with a one-line reason. A dangling symbolic link is named as one, not as a missing file.
/// </para>
/// <para>
/// Text is UTF-8 (a byte order mark is skipped), or UTF-16/UTF-32 when a byte order mark says so. Invalid bytes and
/// NUL bytes are an error at their line and column, never a silent U+FFFD or an "unexpected end of stream" from a parser.
/// </para>
/// </remarks>
public static class InputFile
{
    /// <summary>The default size limit: 128 MiB, far above any spec or manifest bundle (a 50 MB lint input takes ~5 s).</summary>
    public const long DefaultMaxBytes = 128L << 20;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Tells why <paramref name="path"/> is not a regular file that can be read, without opening it.</summary>
    /// <param name="path">The path.</param>
    /// <returns><see langword="null"/> for a regular file, else why not.</returns>
    public static InputError? Check(string path) => Probe(path, out _);

    /// <summary>Reads a regular file as text.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The size limit.</param>
    /// <returns>The text, or why it could not be read.</returns>
    public static InputReadResult Read(string path, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Probe(path, out var size) is { } refused)
        {
            return new InputReadResult(null, refused);
        }

        if (size > maxBytes)
        {
            return TooLarge(size, maxBytes);
        }

        try
        {
            using var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.SequentialScan,
                BufferSize = 0,
            });
            // The size from stat is a hint only: /proc files say 0, and a file may grow while it is read.
            var buffer = new ArrayBufferWriter<byte>((int)Math.Clamp(size + 1, 4096, maxBytes + 1));
            while (true)
            {
                var read = stream.Read(buffer.GetSpan(65536));
                if (read == 0)
                {
                    break;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes)
                {
                    return TooLarge(buffer.WrittenCount, maxBytes);
                }
            }

            return Decode(buffer.WrittenSpan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e is FileNotFoundException or DirectoryNotFoundException
                ? new InputReadResult(null, new InputError(InputErrorKind.Missing, "does not exist"))
                : new InputReadResult(null, new InputError(InputErrorKind.Unreadable, "cannot be read: " + IoMessages.Reason(e)));
        }
    }

    /// <summary>Reads a stream (standard input) to its end as text.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="maxBytes">The size limit.</param>
    /// <param name="cancellationToken">
    /// Stops waiting. A read that the stream cannot cancel (a terminal) is abandoned, not awaited, so Ctrl-C always works.
    /// </param>
    /// <returns>The text, or why it could not be read.</returns>
    public static async Task<InputReadResult> ReadAsync(Stream stream, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new ArrayBufferWriter<byte>(65536);
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer.GetMemory(65536), cancellationToken).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes)
                {
                    return TooLarge(buffer.WrittenCount, maxBytes);
                }
            }
        }
        catch (IOException e)
        {
            return new InputReadResult(null, new InputError(InputErrorKind.Unreadable, "cannot be read: " + IoMessages.Reason(e)));
        }

        return Decode(buffer.WrittenSpan);
    }

    /// <summary>Decodes bytes strictly: UTF-8 unless a byte order mark says UTF-16 or UTF-32; no NUL bytes.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>The text, or where it stops being text.</returns>
    public static InputReadResult Decode(ReadOnlySpan<byte> bytes)
    {
        string text;
        if (bytes is [0xEF, 0xBB, 0xBF, ..])
        {
            bytes = bytes[3..];
        }
        else if (BomEncoding(bytes) is { } bom)
        {
            try
            {
                text = bom.Encoding.GetString(bytes[bom.Length..]);
            }
            catch (DecoderFallbackException)
            {
                return NotText(0, 0, $"is not valid {bom.Name} text (its byte order mark says {bom.Name}); save the file as UTF-8");
            }

            return NulCheck(text);
        }

        if (!Utf8.IsValid(bytes))
        {
            var chars = new char[bytes.Length];
            Utf8.ToUtf16(bytes, chars, out var read, out var written, replaceInvalidSequences: false);
            var (line, column) = Position(chars.AsSpan(0, written), written);
            return NotText(line, column, string.Create(CultureInfo.InvariantCulture,
                $"is not UTF-8 text: byte 0x{bytes[read]:X2} is not valid UTF-8 here; save the file as UTF-8"));
        }

        text = s_strictUtf8.GetString(bytes);
        return NulCheck(text);
    }

    /// <summary>
    /// Tells whether <paramref name="path"/> is a regular file whose text starts with <paramref name="prefix"/>, reading
    /// no more than the prefix. Used to recognise files McpFleet generated (their first line carries a marker).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="prefix">The expected start, compared as UTF-8 bytes.</param>
    /// <returns><see langword="true"/> when the file starts with the prefix.</returns>
    public static bool StartsWith(string path, string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (Probe(path, out _) is not null)
        {
            return false;
        }

        var expected = Encoding.UTF8.GetBytes(prefix);
        var actual = new byte[expected.Length];
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            return stream.ReadAtLeast(actual, actual.Length, throwOnEndOfStream: false) == actual.Length && actual.AsSpan().SequenceEqual(expected);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static InputError? Probe(string path, out long size)
    {
        var kind = NativeFiles.TryStat(path, out size) ?? ManagedStat(path, out size);
        return kind switch
        {
            NativeFiles.Kind.Regular => null,
            NativeFiles.Kind.Missing => new InputError(InputErrorKind.Missing, "does not exist"),
            NativeFiles.Kind.Directory => new InputError(InputErrorKind.NotAFile, "is a directory, not a file"),
            NativeFiles.Kind.Pipe => new InputError(InputErrorKind.NotAFile, "is a named pipe (FIFO), not a regular file"),
            NativeFiles.Kind.CharacterDevice => new InputError(InputErrorKind.NotAFile, "is a character device, not a regular file"),
            NativeFiles.Kind.BlockDevice => new InputError(InputErrorKind.NotAFile, "is a block device, not a regular file"),
            NativeFiles.Kind.Socket => new InputError(InputErrorKind.NotAFile, "is a socket, not a regular file"),
            NativeFiles.Kind.DanglingLink => new InputError(InputErrorKind.NotAFile, $"is a symbolic link to '{LinkTarget(path)}', which does not exist"),
            NativeFiles.Kind.LinkLoop => new InputError(InputErrorKind.NotAFile, "is a loop of symbolic links"),
            _ => new InputError(InputErrorKind.Unreadable, "cannot be read: permission denied"),
        };
    }

    // Where statx is missing (not Linux): what .NET can tell. A FIFO then reads as a regular file.
    private static NativeFiles.Kind ManagedStat(string path, out long size)
    {
        size = 0;
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                var final = File.ResolveLinkTarget(path, returnFinalTarget: true);
                if (final is null || !(final.Exists || Directory.Exists(final.FullName)))
                {
                    return NativeFiles.Kind.DanglingLink;
                }
            }

            if (Directory.Exists(path))
            {
                return NativeFiles.Kind.Directory;
            }

            if (!info.Exists)
            {
                return NativeFiles.Kind.Missing;
            }

            size = info.Length;
            return NativeFiles.Kind.Regular;
        }
        catch (IOException)
        {
            return NativeFiles.Kind.LinkLoop;
        }
        catch (UnauthorizedAccessException)
        {
            return NativeFiles.Kind.Inaccessible;
        }
    }

    private static string LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget ?? "?";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }

    private static (Encoding Encoding, int Length, string Name)? BomEncoding(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xFF, 0xFE, 0x00, 0x00, ..] => (new UTF32Encoding(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: true), 4, "UTF-32"),
        [0x00, 0x00, 0xFE, 0xFF, ..] => (new UTF32Encoding(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: true), 4, "UTF-32"),
        [0xFF, 0xFE, ..] => (new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true), 2, "UTF-16"),
        [0xFE, 0xFF, ..] => (new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true), 2, "UTF-16"),
        _ => null,
    };

    private static InputReadResult NulCheck(string text)
    {
        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul < 0)
        {
            return new InputReadResult(text, null);
        }

        var (line, column) = Position(text, nul);
        return NotText(line, column, "holds a NUL byte: binary data, not text");
    }

    private static (int Line, int Column) Position(ReadOnlySpan<char> text, int index)
    {
        var before = text[..index];
        var line = before.Count('\n') + 1;
        return (line, index - before.LastIndexOf('\n'));
    }

    private static InputReadResult NotText(int line, int column, string message) =>
        new(null, new InputError(InputErrorKind.NotText, message, line, column));

    private static InputReadResult TooLarge(long size, long maxBytes) =>
        new(null, new InputError(InputErrorKind.TooLarge, string.Create(CultureInfo.InvariantCulture,
            $"is larger than {maxBytes >> 20} MiB ({size} bytes or more); McpFleet does not read inputs that large")));
}
