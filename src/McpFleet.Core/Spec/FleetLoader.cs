using McpFleet.Diagnostics;

namespace McpFleet.Spec;

/// <summary>The outcome of loading a fleet directory: the spec when it is valid, and every diagnostic found.</summary>
/// <param name="Spec">The spec, or <see langword="null"/> when any error was found.</param>
/// <param name="Diagnostics">All diagnostics, sorted by file, line and column.</param>
public sealed record FleetLoadResult(FleetSpec? Spec, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Gets a value indicating whether the fleet loaded without errors.</summary>
    public bool Success => Spec is not null;
}

/// <summary>Loads and validates <c>fleet.yaml</c> plus <c>values/*.yaml</c>.</summary>
public static class FleetLoader
{
    /// <summary>Loads the fleet in <paramref name="fleetDirectory"/>, reporting every problem in one pass.</summary>
    /// <param name="fleetDirectory">A directory holding <c>fleet.yaml</c> and <c>values/</c>.</param>
    /// <returns>The spec and its diagnostics.</returns>
    public static FleetLoadResult Load(string fleetDirectory) => throw new NotImplementedException();
}
