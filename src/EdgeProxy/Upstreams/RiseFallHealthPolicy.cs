using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace EdgeProxy.Upstreams;

/// <summary>
/// YARP active health check policy for the DR cluster: hands each probe round to <see cref="ActiveNodeTracker"/>,
/// which counts Cisco's RISE/FALL. YARP's ConsecutiveFailures policy has no RISE (one success makes a node healthy)
/// and no notion of one active node, so the counting is ours; YARP still schedules, times out and sends the probes.
/// </summary>
public sealed class RiseFallHealthPolicy(ActiveNodeTracker tracker, TimeProvider time) : IActiveHealthCheckPolicy
{
    public const string PolicyName = "EdgeProxyRiseFall";

    public string Name => PolicyName;

    public void ProbingCompleted(ClusterState cluster, IReadOnlyList<DestinationProbingResult> probingResults)
    {
        var round = new List<ProbeResult>(probingResults.Count);
        foreach (var result in probingResults)
        {
            if (NodeRoles.TryParse(result.Destination.DestinationId, out var node))
            {
                round.Add(ToProbeResult(node, result, time));
            }
        }

        if (round.Count > 0)
        {
            tracker.RecordProbes(round);
        }
    }

    internal static ProbeResult ToProbeResult(NodeRole node, DestinationProbingResult result, TimeProvider time)
    {
        if (result.Response is { } response)
        {
            var timing = response.RequestMessage?.Options.TryGetValue(ProbeTimingHandler.Timing, out var t) == true ? t : null;
            return ProbeResult.Answered(node, timing?.StartedAt ?? time.GetUtcNow(), timing?.Elapsed, (int)response.StatusCode);
        }

        var failedTiming = (result.Exception as NodeProbeException)?.Timing;
        return ProbeResult.Failed(node, failedTiming?.StartedAt ?? time.GetUtcNow(), failedTiming?.Elapsed, TransportFailure.Describe(result.Exception));
    }
}
