namespace EdgeProxy.Upstreams;

/// <summary>
/// Decides which node Digital Routing traffic goes to, from probe rounds and transport failures (docs/traffic.md, "Active node
/// and failover"), and is the only owner of node state:
/// RISE/FALL counting per node, exactly one healthy node is active, both healthy keeps the current one (sticky;
/// publisher first at start), none healthy means no active node. Hand-written because YARP's policies know neither
/// RISE nor stickiness; time comes only from the injected <see cref="TimeProvider"/>, so tests drive it with a fake clock.
/// </summary>
/// <remarks>
/// Thread-safe: updates are serialised, readers take <see cref="Snapshot"/> without locking. Logs and
/// <see cref="Changed"/> run after the lock is released (a slow handler or log sink never holds up an update or a
/// request's transport-failure report), in the order the snapshots were made.
/// </remarks>
public sealed class ActiveNodeTracker
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Queue<(ActiveNodeSnapshot Previous, ActiveNodeSnapshot Next)> _pending = new();
    private ActiveNodeSnapshot _snapshot;
    private NodeRole? _lastActive;
    private bool _dispatching;

    public ActiveNodeTracker(HealthCheckRules rules, string publisherAddress, string subscriberAddress, TimeProvider time, ILogger<ActiveNodeTracker> logger)
    {
        _time = time;
        _logger = logger;
        _snapshot = new ActiveNodeSnapshot
        {
            Publisher = NodeStatus.Initial(NodeRole.Publisher, publisherAddress),
            Subscriber = NodeStatus.Initial(NodeRole.Subscriber, subscriberAddress),
            Active = null,
            ActiveSince = time.GetUtcNow(),
            ActiveReason = "no probe result yet",
            Rules = rules,
        };
    }

    /// <summary>Raised with every new snapshot, in order, outside the update lock; a handler may read or update the tracker.</summary>
    public event Action<ActiveNodeSnapshot>? Changed;

    public ActiveNodeSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Records one probe round; both nodes are judged together, so a switch-over is one change, not two.</summary>
    public void RecordProbes(IReadOnlyList<ProbeResult> round)
    {
        lock (_lock)
        {
            var current = _snapshot;
            var now = _time.GetUtcNow();
            var publisher = current.Publisher;
            var subscriber = current.Subscriber;
            foreach (var probe in round)
            {
                if (probe.Node == NodeRole.Publisher)
                {
                    publisher = publisher.WithProbe(probe, current.Rules, now);
                }
                else
                {
                    subscriber = subscriber.WithProbe(probe, current.Rules, now);
                }
            }

            Publish(current, publisher, subscriber, now);
        }

        Dispatch();
    }

    /// <summary>Records a transport failure (refused, reset, TLS failure, timeout) seen on forwarded traffic.</summary>
    public void RecordTransportFailure(NodeRole node, string reason)
    {
        lock (_lock)
        {
            var current = _snapshot;
            var now = _time.GetUtcNow();
            var failed = current[node].WithTransportFailure(reason, current.Rules, now);
            Publish(current,
                node == NodeRole.Publisher ? failed : current.Publisher,
                node == NodeRole.Subscriber ? failed : current.Subscriber,
                now);
        }

        Dispatch();
    }

    /// <summary>
    /// Records a 503 a node answered to a forwarded Digital Routing request (<see cref="NodeStatus.WithStandbyAnswer"/>):
    /// the node is not active, so traffic moves to the other node at once if that one is healthy.
    /// </summary>
    public void RecordStandbyAnswer(NodeRole node)
    {
        lock (_lock)
        {
            var current = _snapshot;
            var now = _time.GetUtcNow();
            var refused = current[node].WithStandbyAnswer(current.Rules, now);
            Publish(current,
                node == NodeRole.Publisher ? refused : current.Publisher,
                node == NodeRole.Subscriber ? refused : current.Subscriber,
                now);
        }

        Dispatch();
    }

    /// <summary>New RISE/FALL/codes/interval/timeout after a configuration reload; counting goes on from the current counters.</summary>
    public void UpdateRules(HealthCheckRules rules)
    {
        lock (_lock)
        {
            var current = _snapshot;
            var next = current with { Rules = rules, Version = current.Version + 1 };
            Volatile.Write(ref _snapshot, next);
            _pending.Enqueue((current, next));
        }

        Dispatch();
    }

    private void Publish(ActiveNodeSnapshot current, NodeStatus publisher, NodeStatus subscriber, DateTimeOffset now)
    {
        var next = current with { Publisher = publisher, Subscriber = subscriber, Version = current.Version + 1 };
        var active = Choose(current.Active, _lastActive, publisher, subscriber);
        if (active != current.Active)
        {
            var reason = Explain(current.Active, active, next);
            next = next with { Active = active, ActiveSince = now, ActiveReason = reason };
            _lastActive = active ?? _lastActive;
        }
        else if (active is null && (publisher.Health != NodeHealth.Unknown || subscriber.Health != NodeHealth.Unknown))
        {
            // Still none active: the reason follows the nodes (e.g. after the first probes), without a change to log.
            next = next with { ActiveReason = Explain(null, null, next) };
        }

        Volatile.Write(ref _snapshot, next);
        _pending.Enqueue((current, next));
    }

    // One thread at a time logs and raises the queued changes, oldest first; a thread that finds another one at it
    // leaves its change to that thread, so the order holds without holding the update lock.
    private void Dispatch()
    {
        lock (_lock)
        {
            if (_dispatching)
            {
                return;
            }

            _dispatching = true;
        }

        try
        {
            while (true)
            {
                (ActiveNodeSnapshot Previous, ActiveNodeSnapshot Next) change;
                lock (_lock)
                {
                    if (!_pending.TryDequeue(out change))
                    {
                        _dispatching = false;
                        return;
                    }
                }

                Log(change.Previous, change.Next);
                Changed?.Invoke(change.Next);
            }
        }
        catch
        {
            // A handler threw: the next update dispatches what is left.
            lock (_lock)
            {
                _dispatching = false;
            }

            throw;
        }
    }

    private void Log(ActiveNodeSnapshot previous, ActiveNodeSnapshot next)
    {
        LogHealthChange(previous.Publisher, next.Publisher);
        LogHealthChange(previous.Subscriber, next.Subscriber);
        if (previous.Active != next.Active)
        {
            // Information when traffic gets a node again (start, recovery); Warning when it loses one or moves.
            FailoverLog.ActiveNodeChanged(_logger, previous.Active is null ? LogLevel.Information : LogLevel.Warning,
                Name(previous.Active), Name(next.Active), next.ActiveReason);
        }
    }

    /// <summary>The sticky choice: keep a healthy current node; otherwise the node active last, then the publisher, if healthy.</summary>
    internal static NodeRole? Choose(NodeRole? current, NodeRole? lastActive, NodeStatus publisher, NodeStatus subscriber)
    {
        bool Healthy(NodeRole role) => (role == NodeRole.Publisher ? publisher : subscriber).Health == NodeHealth.Healthy;

        if (current is { } keep && Healthy(keep))
        {
            return keep;
        }

        if (lastActive is { } previous && Healthy(previous))
        {
            return previous;
        }

        return Healthy(NodeRole.Publisher) ? NodeRole.Publisher : Healthy(NodeRole.Subscriber) ? NodeRole.Subscriber : null;
    }

    private static string Explain(NodeRole? from, NodeRole? to, ActiveNodeSnapshot next)
    {
        if (to is not { } node)
        {
            return $"no node is healthy: {next.DescribeNodes()}";
        }

        var chosen = next[node];
        var other = next[node.Other()];
        if (from is { } previous)
        {
            return $"{previous.Name()} is {next[previous].Health.ToString().ToLowerInvariant()} ({next[previous].Detail}); {chosen.Describe()}";
        }

        return other.Health == NodeHealth.Healthy
            ? $"both nodes are healthy, {node.Name()} is preferred ({(node == NodeRole.Publisher ? "publisher first" : "it was active before")}); {chosen.Describe()}"
            : $"{chosen.Describe()}; {other.Describe()}";
    }

    private void LogHealthChange(NodeStatus before, NodeStatus after)
    {
        if (before.Health != after.Health || before.Reachable != after.Reachable)
        {
            FailoverLog.NodeHealthChanged(_logger, after.Health == NodeHealth.Healthy ? LogLevel.Information : LogLevel.Warning,
                after.Role.Name(), after.Address, after.Health.ToString().ToLowerInvariant(), after.Reachable switch { true => "reachable", false => "unreachable", null => "unknown" }, after.Detail);
        }
    }

    private static string Name(NodeRole? role) => role?.Name() ?? "none";
}
