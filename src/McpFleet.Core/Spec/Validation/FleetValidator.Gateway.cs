using McpFleet.Diagnostics;

namespace McpFleet.Spec.Validation;

/// <summary>The checks of the <c>gateway</c> block against the servers it fronts.</summary>
internal sealed partial class FleetValidator
{
    private void CheckGateway(FleetSpec fleet, GatewaySpec gateway, Dictionary<string, ServerSpec> byName)
    {
        var source = fleet.Source;
        if (byName.TryGetValue(FleetDefaults.GatewayName, out var clash))
        {
            Error(SpecCodes.UnknownGatewayServer, clash.Source.Locate("name"),
                $"server '{FleetDefaults.GatewayName}' would share its objects' name (mcp-{FleetDefaults.GatewayName}) with the fleet's gateway; rename the server");
        }

        var fronted = new List<(GatewayServerSpec Front, ServerSpec Server, SourceLocation At)>();
        if (gateway.Servers is { } listed)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < listed.Count; i++)
            {
                var front = listed[i];
                var at = source.Locate($"gateway.servers[{i}]");
                if (!byName.TryGetValue(front.Name, out var server))
                {
                    if (!_unreadable.Contains(front.Name))
                    {
                        var closest = SpecText.Closest(front.Name, byName.Keys);
                        Error(SpecCodes.UnknownGatewayServer, at,
                            $"'gateway.servers' names '{front.Name}', which is not a server of the fleet (no values/{front.Name}.yaml)" +
                            (closest is not null ? $"; did you mean '{closest}'?" : ""));
                    }
                }
                else if (!seen.Add(front.Name))
                {
                    Error(SpecCodes.UnknownGatewayServer, at, $"'gateway.servers' lists '{front.Name}' twice");
                }
                else
                {
                    fronted.Add((front, server, at));
                }
            }
        }
        else
        {
            fronted.AddRange(_servers.Select(s => (new GatewayServerSpec(s.Name), s, source.Locate("gateway"))));
        }

        var prefixes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (front, server, at) in fronted)
        {
            var prefix = front.Prefix ?? server.Name;
            if (prefix.Length > 0 && !prefixes.TryAdd(prefix, server.Name))
            {
                Error(SpecCodes.InvalidGateway, at, $"servers '{prefixes[prefix]}' and '{server.Name}' both have the prefix '{prefix}' behind the gateway: their tool names would collide");
            }

            if (server.SessionMode == SessionMode.Stateful && gateway.SessionKey is null)
            {
                Error(SpecCodes.InvalidGateway, at,
                    $"the gateway fronts '{server.Name}', a stateful server: set 'gateway.sessionKey' (each gateway session then gets its own session there), or leave it out of 'gateway.servers'");
            }
        }

        CheckGatewayPort(fleet, gateway);

        if (fleet.SecretStore is null && (gateway.SessionKey is not null || gateway.Auth?.Callers.Any(c => c.ApiKey is not null) == true))
        {
            Error(SpecCodes.InvalidSecretStore, source.Locate("gateway"),
                $"'secretStore' is required because the gateway reads keys from it; add secretStore: {{ name: {FleetDefaults.SecretStore.Name}, kind: {FleetDefaults.SecretStore.Kind} }}");
        }

        if (gateway.Resources is { } resources)
        {
            CheckLimits(source, "gateway.resources", FleetDefaults.MergeResources(resources, FleetDefaults.GatewayResources), resources, "gateway default");
        }
    }

    private void CheckGatewayPort(FleetSpec fleet, GatewaySpec gateway)
    {
        var range = fleet.Ports ?? FleetDefaults.Ports;
        if (gateway.Port is not { } port)
        {
            if (FleetDefaults.GatewayPort(range, _servers.Select(s => s.Port)) is null)
            {
                Error(SpecCodes.InvalidGateway, fleet.Source.Locate("gateway"),
                    $"every port of the MCP range {range.Min}-{range.Max} is used by a server; widen 'ports' or set 'gateway.port'");
            }

            return;
        }

        var at = fleet.Source.Locate("gateway.port");
        if (!range.Contains(port))
        {
            Error(SpecCodes.PortOutOfRange, at, $"gateway port {port} is outside the fleet's MCP port range {range.Min}-{range.Max} (ports in fleet.yaml)");
        }
        else if (port == (fleet.MetricsPort ?? RuntimeContract.DefaultMetricsPort))
        {
            Error(SpecCodes.DuplicatePort, at, $"gateway port {port} is the metrics port of every pod; choose another");
        }
        else if (_servers.FirstOrDefault(s => s.Port == port) is { } server)
        {
            Error(SpecCodes.DuplicatePort, at, $"gateway port {port} is already used by {Display(server)}");
        }
    }
}
