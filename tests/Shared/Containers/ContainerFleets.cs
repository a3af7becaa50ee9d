namespace McpFleet.Tests;

/// <summary>One server of a test fleet: its values file without name, port and version.</summary>
/// <param name="Name">conformance or notes (an image of eng/images.sh).</param>
/// <param name="Values">Extra lines of its values file.</param>
internal sealed record TestServer(string Name, string Values = "");

/// <summary>Small fleets of the reference servers' images, for the container tests of the Local and the CLI tests.</summary>
internal static class ContainerFleets
{
    /// <summary>Writes a fleet with one phase per server, in order, using the images' registry; ports from 9001.</summary>
    /// <param name="directory">The fleet directory.</param>
    /// <param name="ns">The fleet's name and namespace.</param>
    /// <param name="registry">The registry of the images.</param>
    /// <param name="servers">The servers.</param>
    public static void Write(string directory, string ns, string registry, params TestServer[] servers)
    {
        var phases = string.Join("\n", servers.Select(s => $"  - name: p-{s.Name}\n    servers: [{s.Name}]"));
        File.WriteAllText(Path.Combine(directory, "fleet.yaml"), $"""
            name: {ns}
            namespace: {ns}
            environment: test
            image: {registry}/mcpfleet/{"{name}"}:v{"{version}"}
            env:
              McpFleet__DrainDelay: "00:00:02"
              McpFleet__ShutdownTimeout: "00:00:10"
            callers:
              app: backend
            secretStore:
              name: local
            phases:
            {phases}
            """);
        Directory.CreateDirectory(Path.Combine(directory, "values"));
        var port = 9001;
        foreach (var server in servers)
        {
            File.WriteAllText(Path.Combine(directory, "values", server.Name + ".yaml"), $"""
                name: {server.Name}
                port: {port++}
                version: "1.0.0"
                tools: {(server.Name == "notes" ? 3 : 15)}
                description: {server.Name} in a container test
                replicas: 1
                resources:
                  requests: {"{cpu: 100m, memory: 64Mi}"}
                  limits: {"{cpu: 500m, memory: 256Mi}"}
                {server.Values}
                """);
        }
    }

    /// <summary>A unique namespace per run, so parallel runs and leftovers never meet.</summary>
    /// <param name="prefix">A short prefix naming the test.</param>
    /// <returns>The namespace.</returns>
    public static string UniqueNamespace(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
}
