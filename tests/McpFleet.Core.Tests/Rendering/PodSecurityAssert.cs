using k8s.Models;

namespace McpFleet.Core.Tests.Rendering;

/// <summary>Asserts the Pod Security Standards <c>restricted</c> profile (and McpFleet's read-only root filesystem) on a pod template.</summary>
internal static class PodSecurityAssert
{
    private static readonly string[] s_allowedVolumeKinds = ["configMap", "emptyDir", "secret", "projected", "downwardAPI", "persistentVolumeClaim", "ephemeral", "csi"];

    public static void Restricted(string owner, V1PodTemplateSpec template)
    {
        var pod = template.Spec;
        var podContext = pod.SecurityContext;
        Assert.True(pod.HostNetwork != true && pod.HostPID != true && pod.HostIPC != true, $"{owner}: host namespaces");
        Assert.True(podContext?.RunAsNonRoot == true, $"{owner}: pod runAsNonRoot");
        Assert.True(podContext.RunAsUser is null or > 0, $"{owner}: pod runAsUser 0");
        Assert.Equal("RuntimeDefault", podContext.SeccompProfile?.Type);
        Assert.False(pod.AutomountServiceAccountToken ?? true, $"{owner}: automountServiceAccountToken");
        Assert.False(pod.EnableServiceLinks ?? true, $"{owner}: enableServiceLinks");
        foreach (var volume in pod.Volumes ?? [])
        {
            Assert.Null(volume.HostPath);
            var kinds = s_allowedVolumeKinds.Count(k => VolumeHas(volume, k));
            Assert.True(kinds == 1, $"{owner}: volume {volume.Name} is not of an allowed kind");
        }

        foreach (var container in (pod.InitContainers ?? []).Concat(pod.Containers))
        {
            var sc = container.SecurityContext;
            var where = $"{owner}/{container.Name}";
            Assert.NotNull(sc);
            Assert.True(sc.AllowPrivilegeEscalation == false, $"{where}: allowPrivilegeEscalation");
            Assert.True(sc.Privileged != true, $"{where}: privileged");
            Assert.True(sc.RunAsNonRoot != false && sc.RunAsUser is null or > 0, $"{where}: runs as root");
            Assert.True(sc.ReadOnlyRootFilesystem == true, $"{where}: readOnlyRootFilesystem");
            Assert.Contains("ALL", sc.Capabilities?.Drop ?? []);
            Assert.True((sc.Capabilities?.Add ?? []).All(c => c == "NET_BIND_SERVICE"), $"{where}: adds capabilities");
            Assert.True(sc.SeccompProfile is null || sc.SeccompProfile.Type is "RuntimeDefault" or "Localhost", $"{where}: seccomp");
            Assert.True((container.Ports ?? []).All(p => p.HostPort is null or 0), $"{where}: hostPort");
            Assert.True(container.Resources?.Requests?.ContainsKey("cpu") == true && container.Resources.Limits?.ContainsKey("memory") == true, $"{where}: resources");
        }
    }

    private static bool VolumeHas(V1Volume v, string kind) => kind switch
    {
        "configMap" => v.ConfigMap is not null,
        "emptyDir" => v.EmptyDir is not null,
        "secret" => v.Secret is not null,
        "projected" => v.Projected is not null,
        "downwardAPI" => v.DownwardAPI is not null,
        "persistentVolumeClaim" => v.PersistentVolumeClaim is not null,
        "ephemeral" => v.Ephemeral is not null,
        "csi" => v.Csi is not null,
        _ => false,
    };
}
