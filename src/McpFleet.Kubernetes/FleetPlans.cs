using k8s.Models;
using McpFleet.Rendering;

namespace McpFleet.Kubernetes;

/// <summary>Turns the renderer's output into what the deployer consumes.</summary>
public static class FleetPlans
{
    /// <summary>The objects to apply, by phase and server.</summary>
    /// <param name="rendered">The rendered fleet.</param>
    /// <returns>The manifest.</returns>
    public static FleetManifest ToManifest(RenderedFleet rendered)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        var ports = rendered.Fleet.Servers.ToDictionary(s => s.Name, s => s.Spec.Port, StringComparer.Ordinal);
        return new FleetManifest(
            rendered.Fleet.Name,
            rendered.Fleet.Namespace,
            rendered.Namespace,
            rendered.Phases.Select(p => new PhaseManifest(
                p.Number, p.Name, p.Servers.Select(s => new ServerManifest(s.Name, ports[s.Name], s.Objects)).ToList())).ToList());
    }
}
