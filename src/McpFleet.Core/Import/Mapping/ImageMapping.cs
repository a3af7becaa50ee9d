using McpFleet.Import.Mapping.Syntax;

namespace McpFleet.Import.Mapping;

/// <summary><c>image</c> and <c>build</c>: what the server runs. The fleet image pattern is the image settlement pass's.</summary>
internal static class ImageMapping
{
    /// <summary>Maps <c>image</c>.</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="node">The value.</param>
    public static void MapImage(ServiceMapping mapping, ComposeNode node)
    {
        if (node is not ComposeScalar { Value: { Length: > 0 } image })
        {
            mapping.Report("image", FieldOutcome.Dropped, "not a string", node.Location, true);
            return;
        }

        mapping.Draft.Image = ImageReference.Parse(image);
        mapping.Draft.ImageLocation = node.Location;
        mapping.Report("image", FieldOutcome.Mapped, $"`{image}`", node.Location);
    }

    /// <summary>Maps <c>build</c>: dropped beside an image, else a placeholder image (build and push it).</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="node">The value.</param>
    /// <param name="service">The service, to see whether it also names an image.</param>
    public static void MapBuild(ServiceMapping mapping, ComposeNode node, ComposeMap service)
    {
        if (service.Get("image") is not null)
        {
            mapping.Report("build", FieldOutcome.Dropped, "the service also names an image, which the fleet uses; build and push it in CI", node.Location);
            return;
        }

        mapping.Draft.BuildOnly = node.Location;
        var context = node is ComposeMap m ? m.Text("context") ?? "." : (node as ComposeScalar)?.Text ?? ".";
        var dockerfile = node is ComposeMap d ? d.Text("dockerfile") : null;
        mapping.Report(
            "build",
            FieldOutcome.Changed,
            $"build-only service (context {mapping.Context.Quote(node, context)}{(dockerfile is null ? "" : $", dockerfile {mapping.Context.Quote(node, dockerfile)}")}): a placeholder image from the fleet pattern is used; build and push it before deploying",
            node.Location,
            attention: true);
    }
}
