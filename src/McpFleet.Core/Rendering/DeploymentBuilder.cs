using System.Globalization;
using k8s.Models;
using McpFleet.Spec;

namespace McpFleet.Rendering;

/// <summary>
/// The document's Deployment, hardened: PSS restricted, startup probe instead of an initial delay, a preStop drain that
/// agrees with <see cref="RuntimeContract.Shutdown"/>, a config checksum, topology spread and the GPU variant; with
/// <c>mcpfleet-proxy</c> in front of the server, the proxy's containers of <see cref="ProxyContainers"/>.
/// </summary>
internal static class DeploymentBuilder
{
    /// <summary>The UID and GID of the distroless <c>nonroot</c> user.</summary>
    private const long NonRootId = 65532;

    public static V1Deployment Build(ServerContext c)
    {
        var server = c.Server;
        var gpu = c.Spec.Gpu;
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = V1Deployment.KubeKind,
            Metadata = c.Metadata(c.Name),
            Spec = new V1DeploymentSpec
            {
                // An HPA owns the replica count; a replicas field here would reset it on every apply.
                Replicas = server.Autoscaling is null ? server.Replicas : null,
                Selector = new V1LabelSelector { MatchLabels = c.Selector() },
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    // A GPU node rarely has a spare GPU for a surge pod, which would then stay Pending forever.
                    RollingUpdate = gpu is null
                        ? new V1RollingUpdateDeployment { MaxSurge = "25%", MaxUnavailable = 0 }
                        : new V1RollingUpdateDeployment { MaxSurge = 0, MaxUnavailable = 1 },
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = c.Labels(), Annotations = PodAnnotations(c) },
                    Spec = PodSpec(c, gpu),
                },
            },
        };
    }

    private static Dictionary<string, string> PodAnnotations(ServerContext c) => new(StringComparer.Ordinal)
    {
        [RuntimeContract.Labels.ConfigChecksumAnnotation] = ServerConfigJson.Checksum(c.ConfigJson),
        [RuntimeContract.Labels.SessionModeAnnotation] = c.Spec.SessionMode == SessionMode.Stateful ? "stateful" : "stateless",
        [WellKnown.PrometheusScrape] = "true",
        [WellKnown.PrometheusPort] = c.Fleet.MetricsPort.ToString(CultureInfo.InvariantCulture),
        [WellKnown.PrometheusPath] = RuntimeContract.MetricsPath,
    };

    private static V1PodSpec PodSpec(ServerContext c, GpuSpec? gpu) => new()
    {
        ServiceAccountName = c.Name,
        AutomountServiceAccountToken = false,
        // Service links add an env var per Service in the namespace: noise, and a startup cost with many servers.
        EnableServiceLinks = false,
        TerminationGracePeriodSeconds = RuntimeContract.Shutdown.TerminationGracePeriodSeconds,
        SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = NonRootId,
            RunAsGroup = NonRootId,
            FsGroup = NonRootId,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        TopologySpreadConstraints = c.Server.MaxReplicas >= 2
            ?
            [
                new V1TopologySpreadConstraint
                {
                    MaxSkew = 1,
                    TopologyKey = WellKnown.HostnameTopologyKey,
                    WhenUnsatisfiable = "ScheduleAnyway",
                    LabelSelector = new V1LabelSelector { MatchLabels = c.Selector() },
                },
            ]
            : null,
        NodeSelector = gpu is null
            ? null
            : new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [WellKnown.GpuResource] = "true",
                [WellKnown.GpuTypeLabel] = gpu.Type,
            },
        Tolerations = gpu is null
            ? null
            : [new V1Toleration { Key = WellKnown.GpuResource, OperatorProperty = "Exists", Effect = "NoSchedule" }],
        RuntimeClassName = gpu?.RuntimeClassName,
        InitContainers = ProxyContainers.InitContainers(c),
        Containers = [Container(c, gpu)],
        Volumes = Volumes(c),
    };

    private static List<V1Volume> Volumes(ServerContext c)
    {
        var volumes = new List<V1Volume>
        {
            new() { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = c.ConfigMapName } },
            new() { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() },
        };
        if (c.Server.Proxy is { Transport: ServerTransport.Stdio })
        {
            volumes.Add(ProxyContainers.InstallVolume());
        }

        return volumes;
    }

    private static V1Container Container(ServerContext c, GpuSpec? gpu)
    {
        var proxy = c.Server.Proxy;
        var command = c.Spec.Command is { Count: > 0 } written ? written.ToList() : null;
        var args = c.Spec.Args is { Count: > 0 } writtenArgs ? writtenArgs.ToList() : null;
        var mounts = Mounts();
        if (proxy is { Transport: ServerTransport.Stdio })
        {
            // The server's command becomes the proxy's child; the proxy serves the port, probes and metrics.
            args = [.. proxy.Arguments([.. command ?? [], .. args ?? []])];
            command = [ResolvedProxy.InstalledPath];
            mounts.Add(new V1VolumeMount { Name = ProxyContainers.InstallVolumeName, MountPath = ResolvedProxy.InstallDirectory, ReadOnlyProperty = true });
        }

        // Behind a proxy sidecar the server listens on localhost only: the sidecar has the ports and the probes.
        var behindSidecar = proxy is { Transport: ServerTransport.Http };
        var container = Serving(c, c.Spec.Name, c.Server.Image, c.Server.HealthPath, c.Server.ReadyPath, Resources(c.Server.Resources, gpu), mounts);
        container.Command = command;
        container.Args = args;
        container.Env = behindSidecar ? Env(c, proxy!.UpstreamPort!.Value, metricsPort: false) : Env(c);
        if (behindSidecar)
        {
            container.Ports = null;
            container.StartupProbe = null;
            container.LivenessProbe = null;
            container.ReadinessProbe = null;
        }

        return container;
    }

    /// <summary>The config and tmp mounts of every serving container.</summary>
    internal static List<V1VolumeMount> Mounts() =>
    [
        new V1VolumeMount { Name = "config", MountPath = RuntimeContract.ConfigDirectory, ReadOnlyProperty = true },
        new V1VolumeMount { Name = "tmp", MountPath = RuntimeContract.TempDirectory },
    ];

    /// <summary>
    /// A container that serves the MCP and metrics ports with the contract's probes, env, secrets, preStop drain and
    /// hardening: the server's own container, or the proxy's sidecar in front of it.
    /// </summary>
    internal static V1Container Serving(ServerContext c, string name, string image, string healthPath, string readyPath, V1ResourceRequirements resources, List<V1VolumeMount> mounts)
    {
        var probes = c.Spec.Probes;
        var timeout = probes?.TimeoutSeconds ?? RuntimeContract.Probes.TimeoutSeconds;
        return new V1Container
        {
            Name = name,
            Image = image,
            ImagePullPolicy = "IfNotPresent",
            Ports =
            [
                new V1ContainerPort { Name = RuntimeContract.McpPortName, ContainerPort = c.Spec.Port, Protocol = WellKnown.Tcp },
                new V1ContainerPort { Name = RuntimeContract.MetricsPortName, ContainerPort = c.Fleet.MetricsPort, Protocol = WellKnown.Tcp },
            ],
            Env = Env(c),
            EnvFrom = c.HasSecrets ? [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = c.SecretName } }] : null,
            Resources = resources,
            StartupProbe = Probe(
                healthPath,
                probes?.StartupPeriodSeconds ?? RuntimeContract.Probes.StartupPeriodSeconds,
                probes?.StartupFailureThreshold ?? RuntimeContract.Probes.StartupFailureThreshold,
                timeout),
            LivenessProbe = Probe(
                healthPath,
                probes?.LivenessPeriodSeconds ?? RuntimeContract.Probes.LivenessPeriodSeconds,
                RuntimeContract.Probes.LivenessFailureThreshold,
                timeout),
            ReadinessProbe = Probe(
                readyPath,
                probes?.ReadinessPeriodSeconds ?? RuntimeContract.Probes.ReadinessPeriodSeconds,
                RuntimeContract.Probes.ReadinessFailureThreshold,
                timeout),
            Lifecycle = new V1Lifecycle
            {
                // The native sleep action needs no shell in the image (distroless and chiseled images have none).
                PreStop = new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = RuntimeContract.Shutdown.PreStopSleepSeconds } },
            },
            SecurityContext = Hardened(),
            VolumeMounts = mounts,
        };
    }

    /// <summary>The container security context of every container of the pod (PSS restricted with the pod's context).</summary>
    internal static V1SecurityContext Hardened() => new()
    {
        AllowPrivilegeEscalation = false,
        ReadOnlyRootFilesystem = true,
        RunAsNonRoot = true,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
    };

    private static List<V1EnvVar> Env(ServerContext c) => Env(c, c.Spec.Port, metricsPort: true);

    /// <summary>
    /// The contract's env vars, the fleet's and the server's. <paramref name="serverPort"/> is the upstream port for a
    /// server behind a proxy sidecar, which then gets no <c>METRICS_PORT</c>: the sidecar serves that port in the same
    /// network namespace, so a server that listened on it would fail to bind.
    /// </summary>
    private static List<V1EnvVar> Env(ServerContext c, int serverPort, bool metricsPort)
    {
        var spec = c.Spec;
        var env = new List<V1EnvVar>(5 + c.Fleet.Env.Count + spec.Env.Count + c.Server.Dependencies.Count)
        {
            Value(RuntimeContract.EnvironmentVariables.Environment, c.Fleet.Environment),
        };
        foreach (var (key, value) in c.Fleet.Env)
        {
            env.Add(Value(key, value));
        }

        env.Add(Value(RuntimeContract.EnvironmentVariables.ServerPort, serverPort.ToString(CultureInfo.InvariantCulture)));
        if (metricsPort)
        {
            env.Add(Value(RuntimeContract.EnvironmentVariables.MetricsPort, c.Fleet.MetricsPort.ToString(CultureInfo.InvariantCulture)));
        }

        env.Add(new V1EnvVar
        {
            Name = RuntimeContract.EnvironmentVariables.Namespace,
            ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } },
        });
        env.Add(Value(RuntimeContract.EnvironmentVariables.SessionMode, spec.SessionMode == SessionMode.Stateful ? "stateful" : "stateless"));
        foreach (var (key, value) in spec.Env.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            env.Add(Value(key, value));
        }

        foreach (var dependency in c.Server.Dependencies)
        {
            env.Add(Value(dependency.VariableName, dependency.Url));
        }

        return env;
    }

    private static V1EnvVar Value(string name, string value) => new() { Name = name, Value = value };

    internal static V1ResourceRequirements Resources(ResourcesSpec resources, GpuSpec? gpu) => new()
    {
        Requests = Quantities(resources.Requests, gpu),
        Limits = Quantities(resources.Limits, gpu),
    };

    private static Dictionary<string, ResourceQuantity>? Quantities(ResourceQuantities? q, GpuSpec? gpu)
    {
        var result = new Dictionary<string, ResourceQuantity>(3, StringComparer.Ordinal);
        if (q?.Cpu is { } cpu)
        {
            result["cpu"] = new ResourceQuantity(cpu);
        }

        if (q?.Memory is { } memory)
        {
            result["memory"] = new ResourceQuantity(memory);
        }

        if (gpu is not null)
        {
            result[WellKnown.GpuResource] = new ResourceQuantity(gpu.Count.ToString(CultureInfo.InvariantCulture));
        }

        return result.Count > 0 ? result : null;
    }

    private static V1Probe Probe(string path, int periodSeconds, int failureThreshold, int timeoutSeconds) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = RuntimeContract.McpPortName },
        PeriodSeconds = periodSeconds,
        FailureThreshold = failureThreshold,
        TimeoutSeconds = timeoutSeconds,
    };
}
