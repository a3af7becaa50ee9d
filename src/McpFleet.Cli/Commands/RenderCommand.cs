using System.CommandLine;
using McpFleet.IO;
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
    private readonly Argument<string> _fleet = FleetOperations.FleetArgument();
    private readonly Option<string> _out = OutOption.Create(
        "Write the manifests to this directory (replaced atomically; an existing one must be an earlier render), or - for stdout.");

    private readonly Option<int?> _phase = PhaseOption.Create("--phase", "Render only this phase (1-based).");

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

    /// <summary>Tells whether <paramref name="directory"/> holds an earlier render: its root kustomization carries the marker.</summary>
    /// <param name="directory">An existing directory.</param>
    /// <returns><see langword="true"/> when it may be replaced.</returns>
    internal static bool IsEarlierRender(string directory)
    {
        // Bounded: the file is read only when it is a regular file of at most 64 KiB, and parsed without expanding aliases.
        var kustomization = InputFile.Read(Path.Combine(directory, ManifestTree.KustomizationFile), ManifestTree.MaxKustomizationBytes);
        return kustomization.Success && ManifestTree.IsRenderOutput(kustomization.Text);
    }

    private int Execute(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var directory = parseResult.GetRequiredValue(_fleet);
        var output = parseResult.GetRequiredValue(_out);
        var phase = parseResult.GetValue(_phase);
        var spec = _context.LoadFleet(directory);
        if (spec is null)
        {
            _context.Fail($"{directory} is not a valid fleet; nothing written.");
            return ExitCodes.InvalidInput;
        }

        var fleet = FleetRenderer.Render(FleetResolver.Resolve(spec));
        if (phase is { } n && fleet.Phases.All(p => p.Number != n))
        {
            _context.Fail($"--phase {n}: the fleet has phases 1 to {fleet.Phases.Count}; nothing written.");
            return ExitCodes.InvalidInput;
        }

        if (output == "-")
        {
            ManifestTree.WriteStream(fleet, _context.Out.Profile.Out.Writer, phase);
            _context.Out.Profile.Out.Writer.Flush();
            return ExitCodes.Success;
        }

        var files = ManifestTree.Build(fleet, phase);
        IReadOnlyList<string> removed;
        try
        {
            using var tree = AtomicDirectory.Begin(_context.Resolve(output), new AtomicDirectoryOptions
            {
                MayReplace = d => IsEarlierRender(d) ? null : "exists and is not the output of 'mcpfleet render'",
            });
            foreach (var file in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                tree.WriteFile(file.RelativePath, file.Content);
            }

            cancellationToken.ThrowIfCancellationRequested();
            removed = tree.Commit();
        }
        catch (OutputRefusedException e)
        {
            _context.Fail($"{output} {e.Message}; nothing written. Choose an empty or new directory, or an earlier render's output.");
            return ExitCodes.InvalidInput;
        }
        catch (IOException e)
        {
            _context.Fail($"cannot write {output}: {e.Message}; nothing written.");
            return ExitCodes.InvalidInput;
        }

        foreach (var file in removed)
        {
            _context.Say($"removed {Path.Join(output, file)}: the earlier output had it, the new render does not");
        }

        var gateway = phase is null ? fleet.Gateway : null;
        var objects = fleet.Phases.Where(p => phase is null || p.Number == phase).Sum(p => p.Servers.Sum(s => s.Objects.Count)) + 1 + (gateway?.Objects.Count ?? 0);
        _context.Say($"{directory}: wrote {files.Count} files ({objects} objects, {fleet.Phases.Count(p => phase is null || p.Number == phase)} phases{(gateway is null ? "" : ", gateway")}) to {output}");
        return ExitCodes.Success;
    }
}
