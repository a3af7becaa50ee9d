using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using McpFleet.IO;

namespace McpFleet.Local.State;

/// <summary>One server in the state file of a running <c>up --local</c>.</summary>
/// <param name="Phase">The phase number.</param>
/// <param name="PhaseName">The phase name.</param>
/// <param name="Server">The server name.</param>
/// <param name="Version">Its version.</param>
/// <param name="Command">The command line.</param>
/// <param name="Pid">The current process id, or null while it waits to restart.</param>
/// <param name="Port">The MCP port.</param>
/// <param name="MetricsPort">The metrics port.</param>
/// <param name="Restarts">Restarts so far.</param>
/// <param name="StartedAt">When the current process started.</param>
/// <param name="Ready">Whether <c>/ready</c> last answered 200.</param>
/// <param name="State">starting, ready, unhealthy, backoff, stopping, stopped.</param>
public sealed record LocalServerState(
    int Phase, string PhaseName, string Server, string Version, string Command, int? Pid, int Port, int MetricsPort,
    int Restarts, DateTimeOffset? StartedAt, bool Ready, string State);

/// <summary>The state file: who runs the fleet, and each server's state.</summary>
/// <param name="Fleet">The fleet name.</param>
/// <param name="FleetDirectory">The fleet directory.</param>
/// <param name="Pid">The <c>mcpfleet up</c> process id.</param>
/// <param name="Servers">Each server.</param>
public sealed record LocalState(string Fleet, string FleetDirectory, int Pid, IReadOnlyList<LocalServerState> Servers)
{
    /// <summary>
    /// The default state file of a fleet directory: one per directory, in the user's private state directory
    /// (<c>$XDG_RUNTIME_DIR/mcpfleet</c>, else <c>$TMPDIR/mcpfleet-&lt;uid&gt;</c>).
    /// </summary>
    /// <param name="fleetDirectory">The fleet directory.</param>
    /// <returns>The path.</returns>
    public static string DefaultPath(string fleetDirectory)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(fleetDirectory))))[..16];
        return Path.Combine(PrivateDirectory.Default, hash + ".json");
    }

    /// <summary>Writes the state atomically (temp file, then rename), so a reader never sees half a file.</summary>
    /// <param name="path">The state file.</param>
    public void Write(string path) => AtomicFile.Write(path, JsonSerializer.Serialize(this, LocalStateJsonContext.Default.LocalState), UnixFileMode.UserRead | UnixFileMode.UserWrite);

    /// <summary>Reads the state file, or null when there is none or its <c>up</c> process is gone.</summary>
    /// <param name="path">The state file.</param>
    /// <returns>The state or null.</returns>
    /// <exception cref="IOException">The state directory is not private to this user (so its content cannot be trusted).</exception>
    public static LocalState? Read(string path)
    {
        var state = ReadAny(path);
        return state is not null && IsAlive(state.Pid) ? state : null;
    }

    /// <summary>Reads the state file whether or not its <c>up</c> is alive; null when there is none or it is unreadable.</summary>
    /// <param name="path">The state file.</param>
    /// <returns>The state or null.</returns>
    internal static LocalState? ReadAny(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            return null;
        }

        PrivateDirectory.Check(directory);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), LocalStateJsonContext.Default.LocalState) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>Source-generated JSON for the state file, so the Native AOT build of the CLI reads and writes it.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LocalState))]
internal sealed partial class LocalStateJsonContext : JsonSerializerContext;
