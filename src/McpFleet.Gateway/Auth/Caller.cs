using McpFleet.Gateway.Configuration;
using Microsoft.AspNetCore.Http;

namespace McpFleet.Gateway.Auth;

/// <summary>Who sent a request, as the gateway's policies see it.</summary>
/// <param name="Name">The caller's identity: its configured name, its JWT caller claim, or <c>anonymous</c>. Sessions are bound to it.</param>
/// <param name="Label">Its metrics label: a configured name, <c>_jwt</c> for an unlisted JWT caller, or <c>anonymous</c> (bounded cardinality).</param>
/// <param name="Tools">The gateway tool names it may list and call.</param>
/// <param name="RateLimit">Its rate limit, or null for none.</param>
/// <param name="RateKey">Whose bucket its requests take from.</param>
internal sealed record Caller(string Name, string Label, GlobSet Tools, RateLimitSettings? RateLimit, string RateKey)
{
    /// <summary>The label of a JWT caller that is not in the config.</summary>
    public const string UnlistedJwtLabel = "_jwt";

    /// <summary>The name and label of every caller when the gateway has no auth.</summary>
    public const string AnonymousName = "anonymous";

    private static readonly object s_key = new();

    /// <summary>Gets the caller of a request that passed authentication.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The caller.</returns>
    /// <exception cref="InvalidOperationException">The request did not pass the gateway's middleware.</exception>
    public static Caller Of(HttpContext context) =>
        context.Items.TryGetValue(s_key, out var caller) && caller is Caller c ? c : throw new InvalidOperationException("the request has no caller: GatewayRequestMiddleware did not run");

    /// <summary>Gets the caller of a request, or null.</summary>
    /// <param name="context">The request, or null.</param>
    /// <returns>The caller, or null.</returns>
    public static Caller? Find(HttpContext? context) => context?.Items.TryGetValue(s_key, out var caller) == true ? caller as Caller : null;

    /// <summary>Sets the caller of a request.</summary>
    /// <param name="context">The request.</param>
    public void AttachTo(HttpContext context) => context.Items[s_key] = this;
}
