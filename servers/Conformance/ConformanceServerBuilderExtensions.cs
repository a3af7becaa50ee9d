using McpFleet.Servers.Conformance.Tools;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The conformance server's tools, resources, prompts and handlers, shared by its HTTP and stdio modes.</summary>
internal static class ConformanceServerBuilderExtensions
{
    public static IMcpServerBuilder WithConformanceFeatures(this IMcpServerBuilder builder) => builder
        .WithTools<ConformanceTools>()
        .WithTools([ConformanceTools.JsonSchema202012Tool()])
        .WithResources<ConformanceResources>()
        .WithPrompts<ConformancePrompts>()
        .WithCompleteHandler(ConformanceTools.CompleteAsync)
        .WithSubscribeToResourcesHandler(static (_, _) => ValueTask.FromResult(new ModelContextProtocol.Protocol.EmptyResult()))
        .WithUnsubscribeFromResourcesHandler(static (_, _) => ValueTask.FromResult(new ModelContextProtocol.Protocol.EmptyResult()));
}
