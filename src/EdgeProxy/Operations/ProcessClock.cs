namespace EdgeProxy.Operations;

/// <summary>When this proxy started, for the status page's uptime.</summary>
public sealed class ProcessClock(TimeProvider time)
{
    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();
}
