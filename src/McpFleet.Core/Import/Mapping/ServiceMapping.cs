using McpFleet.Diagnostics;

namespace McpFleet.Import.Mapping;

/// <summary>
/// The mapping of one Compose service in progress: the draft it fills, what the whole import shares, and what one
/// section reads that another decides with (env values, ports, the GPU requirement, rows decided late).
/// </summary>
/// <param name="context">What the whole import shares.</param>
/// <param name="draft">The server being built.</param>
internal sealed class ServiceMapping(ImportContext context, ServerDraft draft)
{
    private readonly List<(int Row, int Order, ReportEntry Entry)> _deferred = [];

    // What to do once every field is read, by the position of the field that needs it, so deferred rows keep field order.
    private readonly SortedList<int, Action> _finishes = [];

    /// <summary>Gets what the whole import shares.</summary>
    public ImportContext Context { get; } = context;

    /// <summary>Gets the server being built.</summary>
    public ServerDraft Draft { get; } = draft;

    /// <summary>Gets every env value of the service by name, so a host variable finds its <c>*_PORT</c> and the port choice its <c>*MCP*PORT*</c>.</summary>
    public Dictionary<string, string?> EnvValues { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the TCP container ports, in the order they were written.</summary>
    public List<PortCandidate> Ports { get; } = [];

    /// <summary>Gets what the GPU fields ask for.</summary>
    public GpuRequirement Gpu { get; } = new();

    /// <summary>Gets or sets the 1-based position of the field being mapped.</summary>
    public int Position { get; set; }

    /// <summary>Adds a report row now.</summary>
    /// <param name="field">The field.</param>
    /// <param name="outcome">What became of it.</param>
    /// <param name="detail">How or why.</param>
    /// <param name="location">Where.</param>
    /// <param name="attention">Whether a person must act.</param>
    public void Report(string field, FieldOutcome outcome, string detail, SourceLocation location, bool attention = false) =>
        Draft.Report(field, outcome, detail, location, attention);

    /// <summary>Gets the index the next row gets: where a row decided later belongs.</summary>
    public int NextRow => Draft.Entries.Count;

    /// <summary>Adds a row that belongs at <paramref name="row"/> (a <see cref="NextRow"/> taken earlier), though it could only be decided once every field was read.</summary>
    /// <param name="row">The index the row belongs at.</param>
    /// <param name="entry">The row.</param>
    public void Defer(int row, ReportEntry entry) => _deferred.Add((row, _deferred.Count, entry));

    /// <summary>Runs <paramref name="finish"/> once every field is read, in the order of the fields that asked.</summary>
    /// <param name="finish">What to do.</param>
    public void WhenAllRead(Action finish) => _finishes.TryAdd(Position, finish);

    /// <summary>Runs what waited for every field, then puts the deferred rows where their fields were written.</summary>
    public void Finish()
    {
        foreach (var finish in _finishes.Values)
        {
            finish();
        }

        // Last first, so each index still points where its field was written; rows at one index keep field order.
        foreach (var (row, _, entry) in _deferred.OrderByDescending(d => d.Row).ThenByDescending(d => d.Order))
        {
            Draft.Entries.Insert(row, entry);
        }

        Gpu.Finish(Draft);
    }
}
