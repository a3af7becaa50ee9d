namespace McpFleet.Spec;

/// <summary>
/// The stable codes of fleet spec diagnostics (<c>MCF0xx</c>). docs/fleet-spec.md lists each with one line; never
/// reuse or renumber a code, because scripts and editors match on them.
/// </summary>
public static class SpecCodes
{
    /// <summary>The YAML does not parse.</summary>
    public const string Syntax = "MCF001";

    /// <summary>A mapping has the same key twice.</summary>
    public const string DuplicateKey = "MCF002";

    /// <summary>The fleet directory, <c>fleet.yaml</c> or <c>values/</c> is missing or unreadable, or holds no servers.</summary>
    public const string MissingFile = "MCF003";

    /// <summary>A key that the spec does not define.</summary>
    public const string UnknownKey = "MCF004";

    /// <summary>A value of the wrong type, e.g. <c>port: abc</c> or an unquoted <c>version: 2.0</c>.</summary>
    public const string WrongType = "MCF005";

    /// <summary>A required key is missing or empty.</summary>
    public const string Required = "MCF006";

    /// <summary>A file is empty or holds more than one YAML document.</summary>
    public const string Document = "MCF007";

    /// <summary>A warning: a file in <c>values/</c> is ignored (e.g. <c>.yml</c>).</summary>
    public const string IgnoredFile = "MCF008";

    /// <summary>A name that is not a DNS-1123 label (server, phase, namespace, fleet).</summary>
    public const string InvalidName = "MCF010";

    /// <summary>A server name too long once <c>mcp-</c> and the object suffixes are added.</summary>
    public const string NameTooLong = "MCF011";

    /// <summary>A values file whose name does not match its <c>name</c>.</summary>
    public const string FileNameMismatch = "MCF012";

    /// <summary>Two servers with the same name.</summary>
    public const string DuplicateName = "MCF013";

    /// <summary>Two servers on the same port, or a server on the metrics port.</summary>
    public const string DuplicatePort = "MCF014";

    /// <summary>A server port outside the fleet's port range.</summary>
    public const string PortOutOfRange = "MCF015";

    /// <summary>A value that is not a Kubernetes quantity, or not a positive one.</summary>
    public const string InvalidQuantity = "MCF016";

    /// <summary>A limit below its request.</summary>
    public const string LimitBelowRequest = "MCF017";

    /// <summary>A version that is not <c>MAJOR.MINOR.PATCH[-pre]</c>.</summary>
    public const string InvalidVersion = "MCF018";

    /// <summary>Replicas below 1.</summary>
    public const string InvalidReplicas = "MCF019";

    /// <summary>A server that no phase lists.</summary>
    public const string ServerInNoPhase = "MCF020";

    /// <summary>A server listed by more than one phase, or twice in one.</summary>
    public const string ServerInTwoPhases = "MCF021";

    /// <summary>A phase that lists a server without a values file.</summary>
    public const string UnknownPhaseServer = "MCF022";

    /// <summary>A <c>dependsOn</c> target that is not a server of the fleet, or is listed twice.</summary>
    public const string UnknownDependency = "MCF023";

    /// <summary>A server that depends on itself.</summary>
    public const string SelfDependency = "MCF024";

    /// <summary>Dependencies that form a cycle.</summary>
    public const string DependencyCycle = "MCF025";

    /// <summary>A dependency that sits in a later phase than its dependent.</summary>
    public const string DependencyInLaterPhase = "MCF026";

    /// <summary>A secret name that is not a valid env var name.</summary>
    public const string InvalidSecretName = "MCF027";

    /// <summary>Two secrets, or a secret and an env var, with the same name.</summary>
    public const string DuplicateSecret = "MCF028";

    /// <summary>An env var name that is invalid or that McpFleet sets itself.</summary>
    public const string InvalidEnvName = "MCF029";

    /// <summary>HPA <c>minReplicas</c> above <c>maxReplicas</c>.</summary>
    public const string HpaMinAboveMax = "MCF030";

    /// <summary>HPA bounds below 1.</summary>
    public const string HpaBoundBelowOne = "MCF031";

    /// <summary>HPA utilization target outside 1..100, or no metric at all.</summary>
    public const string HpaUtilization = "MCF032";

    /// <summary>A GPU server with autoscaling.</summary>
    public const string GpuAutoscaling = "MCF033";

    /// <summary>An invalid GPU request (count below 1, empty type).</summary>
    public const string InvalidGpu = "MCF034";

    /// <summary>An egress rule with neither or both of <c>host</c> and <c>cidr</c>, or an invalid host.</summary>
    public const string InvalidEgressTarget = "MCF035";

    /// <summary>An egress CIDR that does not parse.</summary>
    public const string InvalidCidr = "MCF036";

    /// <summary>A port outside 1..65535 (egress, metrics, range), or an empty port range.</summary>
    public const string InvalidPort = "MCF037";

    /// <summary>A session mode other than <c>stateless</c> or <c>stateful</c>.</summary>
    public const string InvalidSessionMode = "MCF038";

    /// <summary>A stateful server with autoscaling (an HPA would spread one session over pods that do not share it).</summary>
    public const string StatefulAutoscaling = "MCF039";

    /// <summary>A warning: a stateful server with more than one replica needs session affinity in front of it.</summary>
    public const string StatefulReplicas = "MCF040";

    /// <summary>An ExternalSecret apiVersion other than <c>external-secrets.io/v1</c> or <c>v1beta1</c>.</summary>
    public const string InvalidExternalSecretApiVersion = "MCF041";

    /// <summary>A warning: <c>external-secrets.io/v1beta1</c> is no longer served by ESO 0.17 and later.</summary>
    public const string DeprecatedExternalSecretApiVersion = "MCF042";

    /// <summary>A secret store kind other than <c>SecretStore</c> or <c>ClusterSecretStore</c>, or a missing store.</summary>
    public const string InvalidSecretStore = "MCF043";

    /// <summary>A duplicate or empty phase.</summary>
    public const string InvalidPhase = "MCF044";

    /// <summary>An invalid label key or value (server labels, callers), or a label McpFleet sets itself.</summary>
    public const string InvalidLabel = "MCF045";

    /// <summary>An image or image pattern with whitespace or an unknown placeholder.</summary>
    public const string InvalidImage = "MCF046";

    /// <summary>A warning: <c>replicas</c> is ignored because an HPA owns the replica count.</summary>
    public const string ReplicasIgnored = "MCF047";

    /// <summary>A number that must be positive (probe timings) or non-negative (tools) is not.</summary>
    public const string InvalidNumber = "MCF048";

    /// <summary>A probe path (<c>probes.healthPath</c>, <c>probes.readyPath</c>) that is not a plain absolute URL path.</summary>
    public const string InvalidProbePath = "MCF049";

    /// <summary>An invalid <c>gateway</c> setting: prefix, tool globs, timeout, rate limit, auth, port, or a stateful server without a session key.</summary>
    public const string InvalidGateway = "MCF050";

    /// <summary><c>gateway.servers</c> names a server the fleet does not have, or one twice; or a server is named <c>gateway</c>.</summary>
    public const string UnknownGatewayServer = "MCF051";

    // MCF052-MCF059 are free for the gateway block; the proxy's codes start at 60.

    /// <summary>A <c>transport</c> other than <c>http</c> or <c>stdio</c>.</summary>
    public const string InvalidTransport = "MCF060";

    /// <summary>A stdio server without a <c>command</c> (the command the proxy starts).</summary>
    public const string StdioCommandMissing = "MCF061";

    /// <summary>An invalid <c>proxy</c> setting: a stdio server with the proxy off, a bad limit, duration or image, or settings of a proxy that is off.</summary>
    public const string InvalidProxy = "MCF062";

    /// <summary><c>proxy.upstreamPort</c> missing for an http server behind the proxy, out of range, or equal to the MCP or metrics port.</summary>
    public const string InvalidUpstreamPort = "MCF063";

    /// <summary><c>probes.healthPath</c> or <c>readyPath</c> on a server behind the proxy, which serves the contract's paths itself.</summary>
    public const string ProbePathsBehindProxy = "MCF064";
}
