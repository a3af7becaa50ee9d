using System.CommandLine;
using McpFleet.Rendering;
using McpFleet.Spec;

namespace McpFleet.Cli.Commands;

/// <summary>
/// <c>mcpfleet render &lt;fleet-dir&gt; --out DIR|-</c>: validates the fleet and writes every manifest, atomically, as
/// <c>DIR/phase-&lt;n&gt;-&lt;name&gt;/&lt;server&gt;.yaml</c> with kustomizations; <c>-</c> streams the documents to stdout.
/// </summary>
internal sealed class RenderCommand : Command
{
    private readonly CliContext _context;

    private readonly Argument<string> _fleet = new("fleet-dir")
    {
        Description = "The fleet directory: fleet.yaml plus values/<server>.yaml.",
    };

    private readonly Option<string> _out = new("--out")
    {
        Description = "Write the manifests to this directory (replaced atomically; an existing one must be an earlier render), or - for stdout.",
        Required = true,
    };

    private readonly Option<int?> _phase = new("--phase")
    {
        Description = "Render only this phase (1-based).",
    };

    /// <summary>Creates the verb.</summary>
    /// <param name="context">Consoles and working directory.</param>
    public RenderCommand(CliContext context)
        : base("render", "Validate a fleet spec and write its Kubernetes manifests, one directory per phase (kubectl apply -k ready).")
    {
        _context = context;
        Arguments.Add(_fleet);
        Options.Add(_out);
        Options.Add(_phase);
        SetAction((parseResult, cancellationToken) => Task.FromResult(Execute(parseResult, cancellationToken)));
    }

    private int Execute(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var directory = parseResult.GetRequiredValue(_fleet);
        var output = parseResult.GetRequiredValue(_out);
        var phase = parseResult.GetValue(_phase);
        var spec = _context.LoadFleet(directory);
        if (spec is null)
        {
            Error($"{directory} is not a valid fleet; nothing written.");
            return ExitCodes.InvalidInput;
        }

        var fleet = FleetRenderer.Render(FleetResolver.Resolve(spec));
        if (phase is { } n && fleet.Phases.All(p => p.Number != n))
        {
            Error($"--phase {n}: the fleet has phases 1 to {fleet.Phases.Count}; nothing written.");
            return ExitCodes.InvalidInput;
        }

        if (output == "-")
        {
            ManifestTree.WriteStream(fleet, _context.Out.Profile.Out.Writer, phase);
            _context.Out.Profile.Out.Writer.Flush();
            return ExitCodes.Success;
        }

        var target = _context.Resolve(output);
        var files = ManifestTree.Build(fleet, phase);
        try
        {
            if (!CanReplace(target, out var reason))
            {
                Error($"{output} {reason}; nothing written. Choose an empty or new directory, or an earlier render's output.");
                return ExitCodes.InvalidInput;
            }

            AtomicDirectory.Write(target, files, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Error($"cannot write {output}: {e.Message}; nothing written.");
            return ExitCodes.InvalidInput;
        }

        var objects = fleet.Phases.Where(p => phase is null || p.Number == phase).Sum(p => p.Servers.Sum(s => s.Objects.Count)) + 1;
        _context.Error.Profile.Out.Writer.WriteLine(
            $"{directory}: wrote {files.Count} files ({objects} objects, {fleet.Phases.Count(p => phase is null || p.Number == phase)} phases) to {output}");
        return ExitCodes.Success;
    }

    /// <summary>A directory may be replaced when it is missing, empty, or an earlier render (its root kustomization says so).</summary>
    private static bool CanReplace(string target, out string reason)
    {
        reason = "";
        if (File.Exists(target))
        {
            reason = "is a file";
            return false;
        }

        if (!Directory.Exists(target) || !Directory.EnumerateFileSystemEntries(target).Any())
        {
            return true;
        }

        var kustomization = Path.Combine(target, ManifestTree.KustomizationFile);
        if (File.Exists(kustomization) && ManifestTree.IsRenderOutput(File.ReadAllText(kustomization)))
        {
            return true;
        }

        reason = "exists and is not the output of 'mcpfleet render'";
        return false;
    }

    private void Error(string message) => _context.Error.Profile.Out.Writer.WriteLine("error: " + message);
}
