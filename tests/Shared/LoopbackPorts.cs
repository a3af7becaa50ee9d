using System.Net;
using System.Net.Sockets;

namespace McpFleet.Tests;

/// <summary>Free loopback TCP ports for servers that tests start as processes.</summary>
public static class LoopbackPorts
{
    private const int FirstPort = 20000;
    private const int PortCount = 12000;

    // Each test process starts at a random offset, so parallel test assemblies rarely probe the same ports.
    private static int s_nextPort = Random.Shared.Next(PortCount);

    /// <summary>Returns a free loopback TCP port below the kernel's ephemeral range.</summary>
    /// <remarks>
    /// A port from <c>bind(0)</c> comes from the ephemeral range (32768–60999 on Linux), which outgoing connections share:
    /// while load tests open thousands of client sockets, one of them could take the port between this check and the
    /// server's own bind. Only listeners use the ports below that range.
    /// </remarks>
    /// <returns>The port.</returns>
    public static int Next()
    {
        for (var attempt = 0; attempt < 2000; attempt++)
        {
            var port = FirstPort + (Interlocked.Increment(ref s_nextPort) % PortCount);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken by another test process; try the next one.
            }
        }

        throw new InvalidOperationException($"no free loopback port in {FirstPort}-{FirstPort + PortCount - 1}");
    }
}
