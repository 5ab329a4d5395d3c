using EdgeProxy.Upstreams;

namespace EdgeProxy.Operations;

/// <summary>
/// Publishes the active-node state as metrics: active node, node health and reachability, readiness, each probe
/// result once, and changes of the active node and of node health as counters (a gauge sampled every scrape
/// misses a flap that comes and goes between two scrapes; a counter does not).
/// </summary>
public sealed class FailoverMetrics(ActiveNodeTracker tracker, EdgeMetrics metrics, Hosting.Draining draining)
{
    private readonly Lock _lock = new();
    private ActiveNodeSnapshot? _previous;

    public void Start()
    {
        tracker.Changed += Observe;
        draining.Began += () => metrics.Ready.Set(0);
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
                metrics.NodeReachable.WithLabels(name).Set(node.Reachable != false ? 1 : 0);
                // Created at 0 before the first change, so increase() sees that change (see EdgeMetrics).
                var healthChanges = metrics.NodeHealthChanges.WithLabels(name);
                if (node.LastProbe is { } probe && !ReferenceEquals(probe, _previous?[node.Role].LastProbe))
                {
                    var result = probe.StatusCode is not { } code ? "no_answer" : snapshot.Rules.Codes.Contains(code) ? "good" : "bad_status";
                    metrics.ProbeResults.WithLabels(name, result).Inc();
                }

                // The first verdict on a node (from unknown) is not a change of mind.
                if (_previous?[node.Role].Health is { } before && before != NodeHealth.Unknown && before != node.Health)
                {
                    healthChanges.Inc();
                }
            }

            // Likewise the choice at start, made while a node was still unprobed.
            if (_previous is { } previous && previous.Active != snapshot.Active && previous.Nodes.All(n => n.Health != NodeHealth.Unknown))
            {
                metrics.ActiveNodeChanges.Inc();
            }

            metrics.Ready.Set(Readiness.IsReady(snapshot, draining) ? 1 : 0);
            _previous = snapshot;
        }
    }
}
