namespace McpFleet.Local.State;

/// <summary>
/// The files of one fleet's local run, side by side in the private state directory: <c>&lt;hash&gt;.json</c> (the
/// state <c>status --local</c> reads), <c>&lt;hash&gt;.lock</c> (one <c>up</c> per fleet) and <c>&lt;hash&gt;.run/</c>
/// (each server's <c>server-config.json</c>).
/// </summary>
/// <param name="StateFile">The state file.</param>
internal sealed record LocalRunFiles(string StateFile)
{
    /// <summary>Gets the directory of every file.</summary>
    public string Directory => Path.GetDirectoryName(StateFile)!;

    /// <summary>Gets the lock file.</summary>
    public string LockFile => Path.ChangeExtension(StateFile, ".lock");

    /// <summary>Gets the directory of the servers' config files.</summary>
    public string RunDirectory => Path.ChangeExtension(StateFile, ".run");

    /// <summary>Deletes the state file, the config directory and temp files of the state writer; never the lock.</summary>
    public void DeleteRunFiles()
    {
        File.Delete(StateFile);
        if (System.IO.Directory.Exists(RunDirectory))
        {
            System.IO.Directory.Delete(RunDirectory, recursive: true);
        }

        // Temp files of a writer killed between create and rename (AtomicFile's names; AtomicFile itself removes those
        // of dead writers before its next write, but a fleet that is not started again would keep them).
        foreach (var temp in System.IO.Directory.EnumerateFiles(Directory, $".{Path.GetFileName(StateFile)}.tmp-*"))
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Removes what killed runs of other fleets left in the same directory: the state file, config directory and temp
    /// files of every fleet whose lock nobody holds. Each is deleted while this process holds that fleet's lock, so a
    /// starting <c>up</c> of that fleet waits (<see cref="LocalRunLock.TryAcquireAsync"/>) instead of losing its files.
    /// </summary>
    /// <returns>How many fleets' leftovers were removed.</returns>
    public int SweepOthers()
    {
        var swept = 0;
        var others = System.IO.Directory.EnumerateFileSystemEntries(Directory)
            .Where(p => p.EndsWith(".json", StringComparison.Ordinal) || p.EndsWith(".run", StringComparison.Ordinal))
            .Select(p => Path.ChangeExtension(p, ".json"))
            .Where(p => p != StateFile)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var other in others)
        {
            var files = new LocalRunFiles(other);
            using var held = LocalRunLock.TryAcquire(files.LockFile);
            if (held is not null)
            {
                files.DeleteRunFiles();
                swept++;
            }
        }

        return swept;
    }
}
