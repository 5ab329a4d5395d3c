using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace EdgeProxy.Upstreams;

/// <summary>
/// YARP available-destinations policy of the DR cluster: the active node only, or none. Replaces YARP's default
/// HealthyOrPanic, which would send traffic to every node, dead ones included, when none is healthy.
/// </summary>
public sealed class ActiveNodeDestinationsPolicy(ActiveNodeTracker tracker) : IAvailableDestinationsPolicy
{
    public const string PolicyName = "EdgeProxyActiveNode";

    public string Name => PolicyName;

    public IReadOnlyList<DestinationState> GetAvailalableDestinations(ClusterConfig config, IReadOnlyList<DestinationState> allDestinations) =>
        Only(tracker.Snapshot.Active, allDestinations);

    internal static IReadOnlyList<DestinationState> Only(NodeRole? node, IReadOnlyList<DestinationState> allDestinations)
    {
        if (node is { } role)
        {
            foreach (var destination in allDestinations)
            {
                if (string.Equals(destination.DestinationId, role.DestinationId(), StringComparison.OrdinalIgnoreCase))
                {
                    return [destination];
                }
            }
        }

        return [];
    }
}
