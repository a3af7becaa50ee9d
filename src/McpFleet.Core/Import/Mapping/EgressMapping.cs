using McpFleet.Diagnostics;
using McpFleet.Import.Mapping.Syntax;
using McpFleet.Spec;

namespace McpFleet.Import.Mapping;

/// <summary>
/// Egress: an env URL or host name of an outside host means the server calls it, and the per-server NetworkPolicy
/// would block it unless the server declares it. Hosts that are Compose services stay inside the fleet.
/// </summary>
internal static class EgressMapping
{
    /// <summary>Adds the egress rule an env value implies, if any.</summary>
    /// <param name="mapping">The service mapping.</param>
    /// <param name="field">The report field of the variable.</param>
    /// <param name="name">The variable.</param>
    /// <param name="value">Its value.</param>
    /// <param name="location">Where it was written.</param>
    public static void Note(ServiceMapping mapping, string field, string name, string value, SourceLocation location)
    {
        var draft = mapping.Draft;
        var fromUrl = EgressHosts.FromUrl(value);
        var hint = fromUrl ?? EgressHosts.FromHostValue(name, value, mapping.EnvValues.GetValueOrDefault(EgressHosts.CompanionPortName(name)));
        if (hint is null || (hint.Host is { } host && mapping.Context.ServiceNames.Contains(host)))
        {
            return;
        }

        var existing = draft.Egress.FindIndex(e => e.Host == hint.Host && e.Cidr == hint.Cidr);
        if (existing >= 0)
        {
            if (!draft.Egress[existing].Ports.Contains(hint.Port))
            {
                draft.Egress[existing] = draft.Egress[existing] with { Ports = [.. draft.Egress[existing].Ports, hint.Port] };
            }

            return;
        }

        draft.Egress.Add(new EgressRule(hint.Host, hint.Cidr, [hint.Port]));
        var detail = fromUrl is not null
            ? $"the URL names an outside host: egress to {hint.Destination} port {hint.Port} (the NetworkPolicy allows only declared destinations)"
            : $"a host name: egress to {hint.Destination} port {hint.Port} (the NetworkPolicy allows only declared destinations){(hint.PortAssumed ? $"; no port is written, so HTTPS ({hint.Port}) is assumed: check it, or set {EgressHosts.CompanionPortName(name)}" : "")}";
        mapping.Report(field + " (egress)", FieldOutcome.Changed, detail, location, hint.PortAssumed);
    }
}
