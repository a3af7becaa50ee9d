using System.Text.Json;
using McpFleet.Gateway.Federation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace McpFleet.Gateway.Observability;

/// <summary>
/// <c>GET /status</c>: the gateway and each upstream in a small JSON document, so a person with curl (and the smoke
/// check) sees which upstream is down and why, how many tools each gives, and its protocol version.
/// </summary>
internal sealed class StatusWriter(Federation.Federation federation, IHostApplicationLifetime lifetime, TimeProvider timeProvider)
{
    /// <summary>Writes the status.</summary>
    /// <param name="context">The request.</param>
    /// <returns>A task.</returns>
    public async Task WriteAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            var snapshot = federation.Current;
            json.WriteStartObject();
            json.WriteString("gateway", lifetime.ApplicationStopping.IsCancellationRequested ? "draining" : "serving");
            json.WriteNumber("tools", snapshot.List(ListKind.Tools).Length);
            json.WriteNumber("prompts", snapshot.List(ListKind.Prompts).Length);
            json.WriteNumber("resources", snapshot.List(ListKind.Resources).Length);
            json.WriteStartArray("upstreams");
            foreach (var upstream in federation.Upstreams)
            {
                var state = upstream.Connection.State;
                json.WriteStartObject();
                json.WriteString("name", upstream.Name);
                json.WriteString("url", upstream.Settings.Url.ToString());
                json.WriteString("state", upstream.IsUp ? "up" : "down");
                json.WriteString("status", state.Status.ToString());
                if (!upstream.IsUp)
                {
                    json.WriteString("reason", upstream.DownReason);
                }

                json.WriteNumber("reconnects", state.Restarts);
                json.WriteNumber("tools", upstream.List(ListKind.Tools).Length);
                json.WriteNumber("prompts", upstream.List(ListKind.Prompts).Length);
                json.WriteNumber("resources", upstream.List(ListKind.Resources).Length);
                json.WriteNumber("inFlight", upstream.Connection.InFlight);
                if (upstream.Connection.Initialization is { } init)
                {
                    json.WriteString("protocolVersion", init.ProtocolVersion);
                    json.WriteString("serverName", init.ServerInfo?.Name);
                    json.WriteString("serverVersion", init.ServerInfo?.Version);
                }

                if (upstream.IsUp)
                {
                    json.WriteNumber("upForSeconds", Math.Round(timeProvider.GetElapsedTime(upstream.Connection.ReadySince).TotalSeconds, 1));
                }

                json.WriteBoolean("stateful", upstream.Settings.Stateful);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }
}
