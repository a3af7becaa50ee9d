namespace McpFleet.Local;

/// <summary>Durations in messages.</summary>
internal static class Durations
{
    /// <summary>Formats a duration as <c>5m</c>, <c>90s</c> or <c>1h30m</c>, as the deployer does.</summary>
    /// <remarks>
    /// The same rule as <c>FleetDeployer.FormatDuration</c> in McpFleet.Kubernetes, which this project may not
    /// reference; both go to the one duration helper that issue 13 puts in Core.
    /// </remarks>
    /// <param name="duration">The duration.</param>
    /// <returns>The text.</returns>
    public static string Format(TimeSpan duration) =>
        duration.TotalSeconds < 60 ? $"{(int)duration.TotalSeconds}s"
        : duration.TotalMinutes < 60 ? (duration.Seconds == 0 ? $"{(int)duration.TotalMinutes}m" : $"{(int)duration.TotalMinutes}m{duration.Seconds}s")
        : (duration.Minutes == 0 ? $"{(int)duration.TotalHours}h" : $"{(int)duration.TotalHours}h{duration.Minutes}m");
}
