using McpFleet.Diagnostics;
using McpFleet.Spec;
using McpFleet.Yaml;

namespace McpFleet.Linting.Rules;

internal sealed class ImageTagPinnedRule : ILintRule
{
    public LintRuleInfo Info { get; } = new(
        "MCP011", "image-tag-pinned", DiagnosticSeverity.Error,
        "Every container image has a tag that is not `latest` (or a digest).",
        "`latest` (or no tag) makes a rollout non-reproducible: two replicas can run different code, and a rollback goes nowhere. The document pins `v{version}`.",
        $"Use `image: {FleetResolver.Image(FleetDefaults.ImagePattern, "<name>", "<version>")}`, or pin a digest `@sha256:…`.",
        ChecklistItem.ImagePushed,
        "KL latest-tag, PO tagNotSpecified, KS container-image-tag, CK CKV_K8S_14/43, TV KSV-0013");

    public void Check(LintContext context, FindingCollector findings)
    {
        foreach (var w in context.Workloads)
        {
            foreach (var c in w.AllContainers)
            {
                var node = c.Node["image"] as YScalar;
                var image = node?.Value ?? "";
                if (image.Length == 0)
                {
                    findings.Report(w.Object, c.Node["name"], $"{c.Describe} has no image");
                    continue;
                }

                if (image.Contains('@', StringComparison.Ordinal))
                {
                    continue;
                }

                var lastSegment = image[(image.LastIndexOf('/') + 1)..];
                var colon = lastSegment.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    findings.Report(w.Object, node, $"{c.Describe} image '{image}' has no tag, so it pulls 'latest'");
                }
                else if (string.Equals(lastSegment[(colon + 1)..], "latest", StringComparison.OrdinalIgnoreCase))
                {
                    findings.Report(w.Object, node, $"{c.Describe} image '{image}' uses the 'latest' tag");
                }
            }
        }
    }
}
