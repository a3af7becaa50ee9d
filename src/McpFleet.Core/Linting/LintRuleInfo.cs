using McpFleet.Diagnostics;

namespace McpFleet.Linting;

/// <summary>An item of the Validation Checklist at the end of the deployment-patterns document.</summary>
public enum ChecklistItem
{
    /// <summary>Docker image pushed to scoobyjava15 registry.</summary>
    ImagePushed,

    /// <summary>Health and ready endpoints implemented.</summary>
    HealthEndpoints,

    /// <summary>Resource requests/limits defined.</summary>
    Resources,

    /// <summary>External secrets configured.</summary>
    ExternalSecrets,

    /// <summary>Network policies applied.</summary>
    NetworkPolicies,

    /// <summary>HPA configured (if applicable).</summary>
    Hpa,

    /// <summary>Logging to stdout.</summary>
    LoggingToStdout,

    /// <summary>Graceful shutdown handling.</summary>
    GracefulShutdown,

    /// <summary>Inter-MCP communication tested.</summary>
    InterMcpCommunication,

    /// <summary>Monitoring/metrics exposed.</summary>
    Metrics,
}

/// <summary>What a lint rule checks and why: the metadata that <c>docs/lint-rules.md</c> and SARIF are generated from.</summary>
/// <param name="Id">The stable id, <c>MCP0xx</c>.</param>
/// <param name="Name">A short kebab-case name.</param>
/// <param name="DefaultSeverity">The severity of its findings unless configured otherwise.</param>
/// <param name="Summary">One line: what it checks.</param>
/// <param name="Rationale">Why it matters.</param>
/// <param name="Fix">How to fix a finding.</param>
/// <param name="Checklist">The checklist item it serves, if any.</param>
/// <param name="Anchors">The tools and standards that have the same check.</param>
public sealed record LintRuleInfo(
    string Id,
    string Name,
    DiagnosticSeverity DefaultSeverity,
    string Summary,
    string Rationale,
    string Fix,
    ChecklistItem? Checklist,
    string Anchors);

/// <summary>A lint rule: one small class that looks at the bundle and reports findings. Rules never throw.</summary>
internal interface ILintRule
{
    /// <summary>Gets the rule's metadata.</summary>
    LintRuleInfo Info { get; }

    /// <summary>Checks the bundle.</summary>
    /// <param name="context">The bundle and its indexes.</param>
    /// <param name="findings">Receives findings.</param>
    void Check(LintContext context, FindingCollector findings);
}
