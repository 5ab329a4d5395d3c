using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace EdgeProxy.Upstreams;

/// <summary>
/// YARP available-destinations policy of the DataConn cluster: the publisher unless it is known to be unreachable.
/// DataConn runs only on the publisher, so its Digital Routing state (standby or active) does not matter here.
/// </summary>
public sealed class PublisherOnlyDestinationsPolicy(ActiveNodeTracker tracker) : IAvailableDestinationsPolicy
{
    public const string PolicyName = "EdgeProxyPublisherOnly";

    public string Name => PolicyName;

    public IReadOnlyList<DestinationState> GetAvailalableDestinations(ClusterConfig config, IReadOnlyList<DestinationState> allDestinations) =>
        ActiveNodeDestinationsPolicy.Only(tracker.Snapshot.PublisherReachable ? NodeRole.Publisher : null, allDestinations);
}
