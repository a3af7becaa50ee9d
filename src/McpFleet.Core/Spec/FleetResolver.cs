namespace McpFleet.Spec;

/// <summary>Applies the fleet defaults to a valid <see cref="FleetSpec"/>.</summary>
public static class FleetResolver
{
    /// <summary>Resolves a spec that <see cref="FleetLoader"/> accepted.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The resolved fleet.</returns>
    public static ResolvedFleet Resolve(FleetSpec spec) => throw new NotImplementedException();
}
