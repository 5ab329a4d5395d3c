namespace CloudConnectSimulator;

/// <summary>The node's mutable switches and counters, shared by the listeners and the admin API; all thread-safe.</summary>
internal sealed class NodeState(string name, NodeMode initialMode, TimeSpan initialDelay)
{
    private int _mode = (int)initialMode;
    private long _delayTicks = initialDelay.Ticks;
    private int _connectionsRejected;

    public string Name { get; } = name;

    public NodeMode Mode
    {
        get => (NodeMode)Volatile.Read(ref _mode);
        set => Volatile.Write(ref _mode, (int)value);
    }

    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, Math.Max(0, value.Ticks));
    }

    public int ConnectionsRejected => Volatile.Read(ref _connectionsRejected);

    public void CountRejectedConnection() => Interlocked.Increment(ref _connectionsRejected);
}
