namespace McpFleet.Upstreams.Processes;

/// <summary>How to start the keeper: an executable and the arguments that come before <see cref="ChildKeeper.Marker"/>.</summary>
/// <param name="FileName">The executable.</param>
/// <param name="PrefixArguments">Arguments before the marker (e.g. the dll when run by <c>dotnet</c>).</param>
public sealed record KeeperCommand(string FileName, IReadOnlyList<string> PrefixArguments);
