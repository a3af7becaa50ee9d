namespace McpFleet.Spec;

/// <summary>The fleet's gateway with every default applied.</summary>
public sealed record ResolvedGateway
{
    /// <summary>Gets the gateway as written.</summary>
    public required GatewaySpec Spec { get; init; }

    /// <summary>Gets the base object name, <c>mcp-gateway</c>.</summary>
    public static string ObjectName => RuntimeContract.Labels.NamePrefix + FleetDefaults.GatewayName;

    /// <summary>Gets the 1-based rollout position: after the last phase, when every server it fronts is there.</summary>
    public required int Phase { get; init; }

    /// <summary>Gets the full image reference.</summary>
    public required string Image { get; init; }

    /// <summary>Gets the MCP port.</summary>
    public required int Port { get; init; }

    /// <summary>Gets the replica count (the HPA minimum when <see cref="Autoscaling"/> is set).</summary>
    public required int Replicas { get; init; }

    /// <summary>Gets the effective resources.</summary>
    public required ResourcesSpec Resources { get; init; }

    /// <summary>Gets the HPA, or <see langword="null"/>.</summary>
    public AutoscalingSpec? Autoscaling { get; init; }

    /// <summary>Gets the fronted servers, in the order their tools are listed.</summary>
    public required IReadOnlyList<ResolvedUpstream> Upstreams { get; init; }

    /// <summary>Gets the most replicas that can run at once; a PDB is rendered when ≥ 2.</summary>
    public int MaxReplicas => Autoscaling?.MaxReplicas ?? Replicas;

    /// <summary>Gets the env var that carries the session key, when there is one.</summary>
    public const string SessionKeyVariable = "MCPFLEET_GATEWAY_SESSION_KEY";

    /// <summary>Gets the secrets the gateway pod reads, each an env var filled by the External Secrets Operator.</summary>
    public IReadOnlyList<SecretSpec> Secrets
    {
        get
        {
            var secrets = new List<SecretSpec>();
            if (Spec.SessionKey is { } sessionKey)
            {
                secrets.Add(new SecretSpec(SessionKeyVariable, sessionKey));
            }

            foreach (var caller in Spec.Auth?.Callers ?? [])
            {
                if (caller.ApiKey is { } apiKey)
                {
                    secrets.Add(new SecretSpec(caller.ApiKeyVariable, apiKey));
                }
            }

            return secrets;
        }
    }
}

/// <summary>A server behind the gateway.</summary>
/// <param name="Server">The server's name.</param>
/// <param name="Port">Its MCP port.</param>
/// <param name="Url">Its in-cluster MCP URL (<see cref="RuntimeContract.ServiceUrl"/>).</param>
/// <param name="Prefix">The prefix of its tool names (its name unless the spec says otherwise).</param>
/// <param name="Tools">Globs of its exposed tools, or <see langword="null"/> for all.</param>
/// <param name="Timeout">Its request timeout, or <see langword="null"/> for the gateway's default.</param>
/// <param name="Stateful">Whether it keeps MCP sessions (<c>sessionMode: stateful</c>): each gateway session gets its own there.</param>
public sealed record ResolvedUpstream(string Server, int Port, string Url, string Prefix, IReadOnlyList<string>? Tools, string? Timeout, bool Stateful);
