using System.Net;
using System.Net.Sockets;

namespace McpFleet.Local;

/// <summary>Ports for the local runner.</summary>
internal static class FreePorts
{
    /// <summary>A TCP port on 127.0.0.1 that nothing listens on now, below the kernel's ephemeral range.</summary>
    /// <remarks>
    /// The child binds the port a moment after this check. A port from <c>bind(0)</c> would come from the ephemeral range
    /// (32768–60999 on Linux), which every outgoing connection also draws from, so a busy machine can take it in that
    /// moment; below the range only listeners compete.
    /// </remarks>
    /// <returns>The port.</returns>
    public static int Next()
    {
        const int First = 20000, Count = 12000;
        var start = Random.Shared.Next(Count);
        for (var i = 0; i < Count; i++)
        {
            var port = First + ((start + i) % Count);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use; try the next one.
            }
        }

        using var any = new TcpListener(IPAddress.Loopback, 0);
        any.Start();
        return ((IPEndPoint)any.LocalEndpoint).Port;
    }
}
