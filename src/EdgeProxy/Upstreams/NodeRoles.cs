namespace EdgeProxy.Upstreams;

/// <summary>Maps <see cref="NodeRole"/> to and from YARP destination ids.</summary>
public static class NodeRoles
{
    public static string DestinationId(this NodeRole role) =>
        role == NodeRole.Publisher ? YarpConfigBuilder.PublisherDestination : YarpConfigBuilder.SubscriberDestination;

    public static NodeRole Other(this NodeRole role) => role == NodeRole.Publisher ? NodeRole.Subscriber : NodeRole.Publisher;

    public static string Name(this NodeRole role) => role.DestinationId();

    public static bool TryParse(string destinationId, out NodeRole role)
    {
        if (string.Equals(destinationId, YarpConfigBuilder.PublisherDestination, StringComparison.OrdinalIgnoreCase))
        {
            role = NodeRole.Publisher;
            return true;
        }

        role = NodeRole.Subscriber;
        return string.Equals(destinationId, YarpConfigBuilder.SubscriberDestination, StringComparison.OrdinalIgnoreCase);
    }
}
