namespace EdgeProxy.Upstreams;

/// <summary>What traffic may ask of the probe loop (<see cref="NodeProber"/>): a round now, and fast rounds while it waits.</summary>
public interface IProbeScheduler
{
    /// <summary>
    /// Starts a probe round of both nodes as soon as allowed (at most every <see cref="NodeProber.MinimumGap"/>), rather
    /// than at the next interval. Concurrent callers share one round. Completes when that round is recorded in the tracker.
    /// </summary>
    Task ProbeNow();

    /// <summary>
    /// Probes now and then every <see cref="NodeProber.UrgentInterval"/> until every scope returned is disposed
    /// (requests are waiting for an active node); the regular interval follows.
    /// </summary>
    IDisposable Urgent();
}
