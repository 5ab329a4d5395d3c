namespace EdgeProxy.Hosting;

/// <summary>Set once SIGTERM began the shutdown delay: the instance still serves but is no longer ready.</summary>
public sealed class Draining
{
    private long _sinceTicks;

    public bool IsDraining => Interlocked.Read(ref _sinceTicks) != 0;

    /// <summary>Since when, for the status report; null while serving normally.</summary>
    public DateTimeOffset? Since => Interlocked.Read(ref _sinceTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Raised once, when draining begins.</summary>
    public event Action? Began;

    /// <summary>True the first time only.</summary>
    public bool Begin(DateTimeOffset now)
    {
        if (Interlocked.CompareExchange(ref _sinceTicks, now.UtcTicks, 0) != 0)
        {
            return false;
        }

        Began?.Invoke();
        return true;
    }
}
