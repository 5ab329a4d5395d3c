using EdgeProxy.Upstreams;

namespace EdgeProxy.Operations;

/// <summary>Publishes the active-node state as metrics: active node, node health, and each probe result once.</summary>
public sealed class FailoverMetrics(ActiveNodeTracker tracker, EdgeMetrics metrics)
{
    private readonly Lock _lock = new();
    private ActiveNodeSnapshot? _previous;

    public void Start()
    {
        tracker.Changed += Observe;
        Observe(tracker.Snapshot);
    }

    private void Observe(ActiveNodeSnapshot snapshot)
    {
        lock (_lock)
        {
            foreach (var node in snapshot.Nodes)
            {
                var name = node.Role.Name();
                metrics.ActiveNode.WithLabels(name).Set(snapshot.Active == node.Role ? 1 : 0);
                metrics.NodeHealthy.WithLabels(name).Set(node.Health == NodeHealth.Healthy ? 1 : 0);
                if (node.LastProbe is { } probe && !ReferenceEquals(probe, _previous?[node.Role].LastProbe))
                {
                    var result = probe.StatusCode is not { } code ? "no_answer" : snapshot.Rules.Codes.Contains(code) ? "good" : "bad_status";
                    metrics.ProbeResults.WithLabels(name, result).Inc();
                }
            }

            _previous = snapshot;
        }
    }
}
