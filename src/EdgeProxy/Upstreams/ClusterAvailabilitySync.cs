using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace EdgeProxy.Upstreams;

/// <summary>
/// Applies every <see cref="ActiveNodeTracker"/> change to YARP's clusters: mirrors node health into
/// <see cref="DestinationState.Health"/> (through <see cref="IDestinationHealthUpdater"/>) and has YARP recompute
/// the available destinations. YARP recomputes a cluster only when that cluster's own health changes, but one probe
/// round of the DR cluster also decides the DataConn cluster (publisher reachable or not), so both are refreshed here.
/// </summary>
public sealed class ClusterAvailabilitySync(
    ActiveNodeTracker tracker,
    IProxyStateLookup proxyState,
    IDestinationHealthUpdater healthUpdater,
    IClusterDestinationsUpdater destinationsUpdater) : IDisposable
{
    /// <summary>Subscribes and applies the current state once (probes may have reported before this ran).</summary>
    public void Start()
    {
        tracker.Changed += Apply;
        Apply(tracker.Snapshot);
    }

    public void Dispose() => tracker.Changed -= Apply;

    private void Apply(ActiveNodeSnapshot snapshot)
    {
        foreach (var cluster in proxyState.GetClusters())
        {
            var isDataConn = string.Equals(cluster.ClusterId, YarpConfigBuilder.DataConnCluster, StringComparison.OrdinalIgnoreCase);
            var health = new List<NewActiveDestinationHealth>();
            foreach (var destination in cluster.DestinationsState.AllDestinations)
            {
                if (NodeRoles.TryParse(destination.DestinationId, out var node))
                {
                    var status = snapshot[node];
                    health.Add(new NewActiveDestinationHealth(destination, isDataConn ? FromReachable(status.Reachable) : FromHealth(status.Health)));
                }
            }

            healthUpdater.SetActive(cluster, health);
            destinationsUpdater.UpdateAvailableDestinations(cluster);
        }
    }

    private static DestinationHealth FromHealth(NodeHealth health) => health switch
    {
        NodeHealth.Healthy => DestinationHealth.Healthy,
        NodeHealth.Unhealthy => DestinationHealth.Unhealthy,
        _ => DestinationHealth.Unknown,
    };

    private static DestinationHealth FromReachable(bool? reachable) => reachable switch
    {
        true => DestinationHealth.Healthy,
        false => DestinationHealth.Unhealthy,
        null => DestinationHealth.Unknown,
    };
}
