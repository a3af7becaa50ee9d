using System.Collections.Concurrent;
using System.ComponentModel;
using McpFleet.Hosting;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpFleet.Servers.Notes.Tools;

/// <summary>Notes kept in this process (a demo store; a real server would use a database).</summary>
public sealed class NoteStore
{
    private readonly ConcurrentDictionary<int, string> _notes = new();
    private int _nextId;

    public int Add(string text)
    {
        var id = Interlocked.Increment(ref _nextId);
        _notes[id] = text;
        return id;
    }

    public IReadOnlyList<string> List() => [.. _notes.OrderBy(n => n.Key).Select(n => $"{n.Key}: {n.Value}")];
}

/// <summary>Notes tools; <c>notes_add</c> echoes each note through the <c>conformance</c> server found by DNS.</summary>
[McpServerToolType]
public sealed class NotesTools(NoteStore store, IMcpFleetClients clients)
{
    /// <summary>The server this one depends on (URL from <c>CONFORMANCE_MCP_URL</c> or the DNS convention).</summary>
    public const string Dependency = "conformance";

    [McpServerTool(Name = "notes_add"), Description("Adds a note after the conformance server echoes it back, and returns its id.")]
    public async Task<string> AddAsync([Description("The note text.")] string text, CancellationToken cancellationToken)
    {
        var echoed = await EchoAsync(text, cancellationToken);
        return $"note {store.Add(echoed)} saved";
    }

    [McpServerTool(Name = "notes_list"), Description("Lists every note.")]
    public string List() => string.Join('\n', store.List());

    [McpServerTool(Name = "notes_remote_echo"), Description("Calls the conformance server's echo tool and returns its answer.")]
    public Task<string> RemoteEchoAsync([Description("The text to echo.")] string message, CancellationToken cancellationToken) =>
        EchoAsync(message, cancellationToken);

    private async Task<string> EchoAsync(string message, CancellationToken cancellationToken)
    {
        var client = await clients.GetAsync(Dependency, cancellationToken);
        var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = message }, cancellationToken: cancellationToken);
        return result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text
            ?? throw new InvalidOperationException("the conformance server's echo returned no text");
    }
}
