using McpFleet.Diagnostics;

namespace McpFleet.Import;

/// <summary>What became of one Compose field.</summary>
public enum FieldOutcome
{
    /// <summary>Carried over as it was.</summary>
    Mapped,

    /// <summary>Carried over in another form; the detail says how.</summary>
    Changed,

    /// <summary>Left out; the detail says why.</summary>
    Dropped,

    /// <summary>Left out because it is unsafe or impossible on Kubernetes; the detail explains.</summary>
    Refused,

    /// <summary>Ignored by design (<c>x-</c> extension fields).</summary>
    Ignored,
}

/// <summary>One row of the migration report.</summary>
/// <param name="Field">The Compose field, e.g. <c>deploy.resources.limits.memory</c> or <c>environment.API_URL</c>.</param>
/// <param name="Outcome">What became of it.</param>
/// <param name="Detail">How it was changed, or why it was dropped. Never holds an env value that could be a secret.</param>
/// <param name="Location">Where the field was written.</param>
/// <param name="NeedsAttention">Whether a person must act on it; any such row makes the import exit 1.</param>
public sealed record ReportEntry(string Field, FieldOutcome Outcome, string Detail, SourceLocation Location, bool NeedsAttention = false);

/// <summary>The report of one Compose service.</summary>
/// <param name="Service">The Compose service name.</param>
/// <param name="Server">The fleet server name, or <see langword="null"/> when the service was not imported.</param>
/// <param name="Summary">One line: imported as what, or why not.</param>
/// <param name="Location">Where the service was declared.</param>
/// <param name="Entries">One row per field.</param>
public sealed record ServiceReport(string Service, string? Server, string Summary, SourceLocation Location, IReadOnlyList<ReportEntry> Entries);

/// <summary>A credential moved out of a literal into a <c>secrets:</c> entry.</summary>
/// <param name="Server">The server.</param>
/// <param name="Variable">The env var (the ExternalSecret's <c>secretKey</c>).</param>
/// <param name="RemoteRef">The key in the secret store.</param>
/// <param name="Reason">Why it was judged a credential (never the value).</param>
/// <param name="Location">Where it was written.</param>
public sealed record MovedSecret(string Server, string Variable, string RemoteRef, string Reason, SourceLocation Location);

/// <summary>The migration report: every field of every service, the secrets moved, and the file-level notes.</summary>
/// <param name="Inputs">The Compose files, in merge order, as displayed.</param>
/// <param name="EnvFile">The env file used for interpolation, or <see langword="null"/>.</param>
/// <param name="TopLevel">Rows for the top-level keys (version, networks, volumes, secrets, configs, extensions).</param>
/// <param name="Services">One report per service, in file order.</param>
/// <param name="Secrets">The credentials moved, in service then field order.</param>
/// <param name="Phases">The derived rollout phases, in order, with their servers.</param>
public sealed record ImportReport(
    IReadOnlyList<string> Inputs,
    string? EnvFile,
    IReadOnlyList<ReportEntry> TopLevel,
    IReadOnlyList<ServiceReport> Services,
    IReadOnlyList<MovedSecret> Secrets,
    IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Phases)
{
    /// <summary>Gets every row that needs a person.</summary>
    public IEnumerable<ReportEntry> Attention => TopLevel.Concat(Services.SelectMany(s => s.Entries)).Where(e => e.NeedsAttention);
}
