using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace EdgeProxy.Upstreams;

/// <summary>
/// YARP passive health check policy: a transport failure on forwarded traffic (refused, reset, TLS failure, timeout)
/// makes the node unhealthy at once (YARP's TransportFailureRate policy waits for a failure rate over a window).
/// The node then needs RISE good probes to come back: YARP's reactivation after ReactivationPeriod only resets its
/// own passive flag, and <see cref="ActiveNodeDestinationsPolicy"/> reads <see cref="ActiveNodeTracker"/>, not that flag.
/// </summary>
public sealed class TransportFailurePolicy(ActiveNodeTracker tracker, IDestinationHealthUpdater healthUpdater) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "EdgeProxyTransportFailure";

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var failure = context.Features.Get<IForwarderErrorFeature>();
        if (failure is null || !TransportFailure.IsNodeFailure(failure.Error) || !NodeRoles.TryParse(destination.DestinationId, out var node))
        {
            return;
        }

        tracker.RecordTransportFailure(node, TransportFailure.Describe(failure.Exception));
        // Keeps YARP's own view (DestinationState.Health.Passive) truthful for anything that reads it.
        healthUpdater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, tracker.Snapshot.Rules.RecoveryTime);
    }
}
