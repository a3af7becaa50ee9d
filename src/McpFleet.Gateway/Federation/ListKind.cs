using ModelContextProtocol.Protocol;

namespace McpFleet.Gateway.Federation;

/// <summary>The four lists the gateway federates.</summary>
internal enum ListKind
{
    /// <summary><c>tools/list</c>.</summary>
    Tools,

    /// <summary><c>prompts/list</c>.</summary>
    Prompts,

    /// <summary><c>resources/list</c>.</summary>
    Resources,

    /// <summary><c>resources/templates/list</c>.</summary>
    ResourceTemplates,
}

/// <summary>What tells the four lists apart on the wire.</summary>
internal static class ListKinds
{
    /// <summary>Gets every kind.</summary>
    public static IReadOnlyList<ListKind> All { get; } = [ListKind.Tools, ListKind.Prompts, ListKind.Resources, ListKind.ResourceTemplates];

    /// <summary>Returns the list method.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The method.</returns>
    public static string Method(ListKind kind) => kind switch
    {
        ListKind.Tools => RequestMethods.ToolsList,
        ListKind.Prompts => RequestMethods.PromptsList,
        ListKind.Resources => RequestMethods.ResourcesList,
        _ => RequestMethods.ResourcesTemplatesList,
    };

    /// <summary>Returns the kind a list method reads, or null.</summary>
    /// <param name="method">The method.</param>
    /// <returns>The kind.</returns>
    public static ListKind? FromMethod(string method) => method switch
    {
        RequestMethods.ToolsList => ListKind.Tools,
        RequestMethods.PromptsList => ListKind.Prompts,
        RequestMethods.ResourcesList => ListKind.Resources,
        RequestMethods.ResourcesTemplatesList => ListKind.ResourceTemplates,
        _ => null,
    };

    /// <summary>Returns the result's array property.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The property name.</returns>
    public static string ResultKey(ListKind kind) => kind switch
    {
        ListKind.Tools => "tools",
        ListKind.Prompts => "prompts",
        ListKind.Resources => "resources",
        _ => "resourceTemplates",
    };

    /// <summary>Returns the item property that names it (renamed at the gateway).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The property name.</returns>
    public static string KeyProperty(ListKind kind) => kind switch
    {
        ListKind.Tools or ListKind.Prompts => "name",
        ListKind.Resources => "uri",
        _ => "uriTemplate",
    };

    /// <summary>Returns whether the kind's items are named by URI (<c>prefix+uri</c>) rather than by name (<c>prefix_name</c>).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>Whether by URI.</returns>
    public static bool IsUri(ListKind kind) => kind is ListKind.Resources or ListKind.ResourceTemplates;

    /// <summary>Returns the <c>list_changed</c> notification of the kind (templates share the resources one).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The notification method.</returns>
    public static string ListChanged(ListKind kind) => kind switch
    {
        ListKind.Tools => NotificationMethods.ToolListChangedNotification,
        ListKind.Prompts => NotificationMethods.PromptListChangedNotification,
        _ => NotificationMethods.ResourceListChangedNotification,
    };

    /// <summary>Returns whether an upstream that answered <c>initialize</c> with <paramref name="capabilities"/> serves the kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="capabilities">Its capabilities.</param>
    /// <returns>Whether it does.</returns>
    public static bool Served(ListKind kind, ServerCapabilities? capabilities) => kind switch
    {
        ListKind.Tools => capabilities?.Tools is not null,
        ListKind.Prompts => capabilities?.Prompts is not null,
        _ => capabilities?.Resources is not null,
    };
}
