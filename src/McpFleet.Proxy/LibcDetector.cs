namespace McpFleet.Proxy;

/// <summary>
/// Tells glibc from musl in a root filesystem by the dynamic loader each one installs, without running <c>ldd</c> (which
/// distroless images lack, and which on Alpine is musl's own). <c>mcpfleet-proxy check-libc [root]</c> runs it on an
/// unpacked image (<c>docker export</c>), so an Alpine image is caught with a sentence instead of the kernel's
/// "no such file or directory" when the pod starts.
/// </summary>
internal static class LibcDetector
{
    /// <summary>The exit code when the root is musl or unknown.</summary>
    public const int NotGlibcExitCode = 1;

    /// <summary>Looks for the loaders under <paramref name="root"/>.</summary>
    /// <param name="root">The root filesystem, e.g. <c>/</c>.</param>
    /// <returns>What was found; glibc wins when both are there (Alpine with <c>gcompat</c>).</returns>
    public static Libc Detect(string root)
    {
        string[] glibc = ["lib64/ld-linux-x86-64.so.2", "lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "usr/lib64/ld-linux-x86-64.so.2", "lib/ld-linux-x86-64.so.2"];
        if (glibc.Any(p => File.Exists(Path.Combine(root, p))))
        {
            return Libc.Glibc;
        }

        var lib = Path.Combine(root, "lib");
        return Directory.Exists(lib) && Directory.EnumerateFiles(lib, "ld-musl-*.so.1").Any() ? Libc.Musl : Libc.Unknown;
    }

    /// <summary>The sentence for a root, as <c>check-libc</c> prints it.</summary>
    /// <param name="root">The root filesystem.</param>
    /// <param name="libc">What <see cref="Detect"/> found.</param>
    /// <returns>One line.</returns>
    public static string Describe(string root, Libc libc) => libc switch
    {
        Libc.Glibc => $"{root}: glibc: mcpfleet-proxy runs here",
        Libc.Musl => $"{root}: musl (Alpine): mcpfleet-proxy needs glibc; use a glibc variant of the image (e.g. node:22-bookworm-slim for node:22-alpine) or add Alpine's gcompat package",
        _ => $"{root}: no glibc loader (lib64/ld-linux-x86-64.so.2) and no musl loader found: mcpfleet-proxy needs glibc",
    };
}
