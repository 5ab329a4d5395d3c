namespace EdgeProxy.Upstreams;

/// <summary>
/// The failover state at one moment, immutable: both nodes, the active Digital Routing node (null: none is
/// healthy) and since when. <see cref="ActiveNodeTracker"/> replaces it whole on every change; readers (the
/// request path, the status endpoint) hold a consistent picture without locking.
/// </summary>
public sealed record ActiveNodeSnapshot
{
    public required NodeStatus Publisher { get; init; }
    public required NodeStatus Subscriber { get; init; }

    /// <summary>The node Digital Routing traffic goes to; null when no node is healthy.</summary>
    public NodeRole? Active { get; init; }

    /// <summary>Since when <see cref="Active"/> has held (for null: since when no node is active).</summary>
    public required DateTimeOffset ActiveSince { get; init; }

    /// <summary>Why <see cref="Active"/> is what it is, as logged when it last changed.</summary>
    public required string ActiveReason { get; init; }

    public required HealthCheckRules Rules { get; init; }

    /// <summary>Increases with every new snapshot.</summary>
    public long Version { get; init; }

    public NodeStatus this[NodeRole role] => role == NodeRole.Publisher ? Publisher : Subscriber;

    public IReadOnlyList<NodeStatus> Nodes => [Publisher, Subscriber];

    /// <summary>True while DataConn may be sent to the publisher: it is not known to be unreachable.</summary>
    public bool PublisherReachable => Publisher.Reachable != false;

    /// <summary>Both nodes, for logs and 503 bodies.</summary>
    public string DescribeNodes() => $"{Publisher.Describe()}; {Subscriber.Describe()}";
}
