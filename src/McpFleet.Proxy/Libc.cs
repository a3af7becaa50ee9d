namespace McpFleet.Proxy;

/// <summary>Which C library a root filesystem provides.</summary>
internal enum Libc
{
    /// <summary>Neither loader was found.</summary>
    Unknown,

    /// <summary>glibc: mcpfleet-proxy runs.</summary>
    Glibc,

    /// <summary>musl (Alpine): mcpfleet-proxy cannot run; the kernel would report a missing file.</summary>
    Musl,
}
