namespace McpFleet.Rendering;

/// <summary>The document's ExternalSecret: one <c>data</c> entry per declared secret, owned by the ExternalSecret.</summary>
internal static class ExternalSecretBuilder
{
    public static ExternalSecret Build(ServerContext c) => new()
    {
        ApiVersion = c.Fleet.ExternalSecretApiVersion,
        Metadata = c.Metadata(c.SecretName),
        Spec = new ExternalSecretSpec
        {
            RefreshInterval = c.Fleet.SecretStore.RefreshInterval ?? "1h",
            SecretStoreRef = new SecretStoreRef { Name = c.Fleet.SecretStore.Name, Kind = c.Fleet.SecretStore.Kind },
            Target = new ExternalSecretTarget { Name = c.SecretName, CreationPolicy = "Owner" },
            Data = c.Spec.Secrets
                .Select(s => new ExternalSecretData { SecretKey = s.Name, RemoteRef = new ExternalSecretRemoteRef { Key = s.RemoteRef } })
                .ToList(),
        },
    };
}
