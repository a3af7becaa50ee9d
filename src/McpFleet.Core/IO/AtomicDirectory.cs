namespace McpFleet.IO;

/// <summary>
/// Replaces a directory tree as a whole: readers, and a <c>kill -9</c> at any moment, see the old tree or the new one,
/// never a mix. The one writer of every output directory (<c>render</c>, <c>helm values</c>, <c>import compose</c>).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Begin"/> refuses targets that must not be replaced (the root directory, a file, a dangling symbolic link,
/// whatever <see cref="AtomicDirectoryOptions.MayReplace"/> rejects), follows a symbolic link to the directory it names,
/// removes what killed runs left beside the target, and creates a hidden temp directory beside it. Files are written
/// there; <see cref="Commit"/> swaps it with the target in one step with Linux <c>renameat2(RENAME_EXCHANGE)</c>.
/// </para>
/// <para>
/// Where the exchange is not available (another OS, a file system without it) the swap is two renames: target aside,
/// temp in. A run killed between them leaves no target; the next run then puts the old tree back before anything
/// else, since the new one was never known to be complete.
/// </para>
/// <para>Files are not fsync'ed: the guarantee is against a killed process, not a power loss.</para>
/// </remarks>
public sealed class AtomicDirectory : IDisposable
{
    private readonly AtomicDirectoryOptions _options;
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly string _temp;
    private Step _step = Step.Staged;
    private string? _aside;

    private AtomicDirectory(string target, string temp, AtomicDirectoryOptions options)
    {
        Target = target;
        _temp = temp;
        _options = options;
    }

    private enum Step
    {
        Staged,
        Exchanged,
        Created,
        MovedAside,
        Disposed,
    }

    /// <summary>Gets the directory that is replaced: the full path, with a symbolic link resolved to its final target.</summary>
    public string Target { get; }

    /// <summary>Checks the target, cleans up after killed runs and creates the temp directory.</summary>
    /// <param name="target">The output directory; it may be missing, empty, or a tree the options allow to replace.</param>
    /// <param name="options">What may be replaced and kept; by default any directory, nothing kept.</param>
    /// <returns>The staged replacement; dispose it.</returns>
    /// <exception cref="OutputRefusedException">The target must not be replaced. Nothing was written.</exception>
    /// <exception cref="IOException">The file system failed; the message is a reason that names no temp path.</exception>
    public static AtomicDirectory Begin(string target, AtomicDirectoryOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        options ??= new AtomicDirectoryOptions();
        var full = Resolve(target);
        var parent = Path.GetDirectoryName(full) ?? throw new OutputRefusedException("is the root directory");
        var name = Path.GetFileName(full);
        try
        {
            Directory.CreateDirectory(parent);
            Leftovers.Clean(parent, name);
            if (File.Exists(full))
            {
                throw new OutputRefusedException("is a file, not a directory");
            }

            if (Directory.Exists(full))
            {
                Leftovers.CleanInside(full);
                if (Directory.EnumerateFileSystemEntries(full).Any() && options.MayReplace?.Invoke(full) is { } reason)
                {
                    throw new OutputRefusedException(reason);
                }
            }

            var temp = Path.Combine(parent, Leftovers.TempName(name));
            Directory.CreateDirectory(temp);
            return new AtomicDirectory(full, temp, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException(IoMessages.Reason(e), e);
        }
    }

    /// <summary>Writes one file of the new tree (UTF-8, no byte order mark).</summary>
    /// <param name="relativePath">The path below the target, <c>/</c>-separated; it may not leave the tree.</param>
    /// <param name="content">The text.</param>
    /// <exception cref="IOException">The file system failed.</exception>
    public void WriteFile(string relativePath, string content)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        ArgumentNullException.ThrowIfNull(content);
        ObjectDisposedException.ThrowIf(_step == Step.Disposed, this);
        var path = Path.GetFullPath(Path.Combine(_temp, relativePath));
        if (!path.StartsWith(_temp + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relativePath}' leaves the output directory", nameof(relativePath));
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException(IoMessages.Reason(e), e);
        }

        _written.Add(Path.GetRelativePath(_temp, path).Replace(Path.DirectorySeparatorChar, '/'));
    }

    /// <summary>
    /// Puts the new tree in place of the target in one step, after copying in the files the options keep.
    /// </summary>
    /// <returns>
    /// The files of the replaced tree (relative, <c>/</c>-separated, ordinal order) that the new tree has not: what the
    /// replacement removed, for the caller to list.
    /// </returns>
    /// <exception cref="IOException">The file system failed; the target is unchanged.</exception>
    public IReadOnlyList<string> Commit()
    {
        if (_step != Step.Staged)
        {
            throw new InvalidOperationException("the directory was already committed or disposed");
        }

        try
        {
            if (!Directory.Exists(Target))
            {
                Create();
                return [];
            }

            var removed = new List<string>();
            foreach (var file in Files(Target))
            {
                if (_written.Contains(file))
                {
                    continue;
                }

                if (_options.Keep?.Invoke(file) != true || !CarryOver(file))
                {
                    removed.Add(file);
                }
            }

            Swap();
            removed.Sort(StringComparer.Ordinal);
            return removed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException(IoMessages.Reason(e), e);
        }
    }

    /// <summary>After <see cref="Commit"/>, puts the old tree back (when a later step of the same run failed).</summary>
    /// <exception cref="IOException">The file system failed.</exception>
    public void Rollback()
    {
        switch (_step)
        {
            case Step.Exchanged:
                if (NativeFiles.ExchangeAt(_temp, Target) != NativeFiles.SwapResult.Done)
                {
                    throw new IOException("cannot swap the old directory back");
                }

                break;
            case Step.Created:
                Directory.Move(Target, _temp);
                break;
            case Step.MovedAside:
                Directory.Move(Target, _temp);
                Directory.Move(_aside!, Target);
                break;
            default:
                return;
        }

        _step = Step.Staged;
    }

    /// <summary>Removes the temp directory, or after <see cref="Commit"/> the replaced tree.</summary>
    public void Dispose()
    {
        switch (_step)
        {
            case Step.Staged or Step.Exchanged:
                Leftovers.Delete(_temp);
                break;
            case Step.MovedAside:
                Leftovers.Delete(_aside!);
                break;
        }

        _step = Step.Disposed;
    }

    private static string Resolve(string target)
    {
        var full = Path.GetFullPath(target);
        full = full.Length > 1 ? Path.TrimEndingDirectorySeparator(full) : full;
        FileSystemInfo? final;
        try
        {
            if (new FileInfo(full).LinkTarget is not { } link)
            {
                return full;
            }

            final = File.ResolveLinkTarget(full, returnFinalTarget: true);
            if (final is null || !(final.Exists || Directory.Exists(final.FullName)))
            {
                throw new OutputRefusedException($"is a symbolic link to '{link}', which does not exist");
            }
        }
        catch (IOException e)
        {
            throw new OutputRefusedException("is a symbolic link that cannot be followed: " + IoMessages.Reason(e), e);
        }

        // A link to an earlier output: replace the directory it names and keep the link.
        return Directory.Exists(final.FullName)
            ? Resolve(final.FullName)
            : throw new OutputRefusedException("is a symbolic link to a file, not a directory");
    }

    private static List<string> Files(string root) =>
        Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true })
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .ToList();

    // A kept regular file is copied, a symbolic link re-created; a FIFO or device is not copied (it would block or never end).
    private bool CarryOver(string file)
    {
        var from = Path.Combine(Target, file);
        var to = Path.Combine(_temp, file);
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        if (new FileInfo(from).LinkTarget is { } link)
        {
            File.CreateSymbolicLink(to, link);
            return true;
        }

        if (InputFile.Check(from) is not null)
        {
            return false;
        }

        File.Copy(from, to);
        return true;
    }

    private void Create()
    {
        switch (NativeFiles.RenameNoReplaceAt(_temp, Target))
        {
            case NativeFiles.SwapResult.Done:
                break;
            case NativeFiles.SwapResult.Exists:
                throw new IOException("it appeared while the new output was written; run again");
            default:
                Directory.Move(_temp, Target);
                break;
        }

        _step = Step.Created;
    }

    private void Swap()
    {
        if (NativeFiles.ExchangeAt(_temp, Target) == NativeFiles.SwapResult.Done)
        {
            _step = Step.Exchanged;
            return;
        }

        _aside = Path.Combine(Path.GetDirectoryName(Target)!, Leftovers.OldName(Path.GetFileName(Target)));
        Directory.Move(Target, _aside);
        try
        {
            Directory.Move(_temp, Target);
        }
        catch
        {
            Directory.Move(_aside, Target);
            throw;
        }

        _step = Step.MovedAside;
    }
}
