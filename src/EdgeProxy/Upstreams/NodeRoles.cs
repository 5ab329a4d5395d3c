namespace EdgeProxy.Upstreams;

/// <summary>Names of the nodes (logs, metrics labels, the status endpoint) and the other node of a pair.</summary>
public static class NodeRoles
{
    public static NodeRole Other(this NodeRole role) => role == NodeRole.Publisher ? NodeRole.Subscriber : NodeRole.Publisher;

    public static string Name(this NodeRole role) => role == NodeRole.Publisher ? "publisher" : "subscriber";
}
