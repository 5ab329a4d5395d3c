namespace EdgeProxy.Upstreams;

/// <summary>
/// Lets a Digital Routing request wait a bounded time for an active node instead of getting 503 at once (README,
/// "Active node and failover", EDGEPROXY_ACTIVE_NODE_WAIT): while anyone waits the prober probes fast
/// (<see cref="IProbeScheduler.Urgent"/>); a wait ends on the tracker's <see cref="ActiveNodeTracker.Changed"/> event
/// (no polling), at the time bound, or when the client goes away. At most <see cref="MaxWaiting"/> requests wait at once,
/// so an outage of both nodes cannot pile up work; the rest get 503 at once, as with no wait.
/// Hand-written: neither YARP nor ASP.NET Core has a wait on a health state.
/// </summary>
public sealed class ActiveNodeWait(ActiveNodeTracker tracker, IProbeScheduler prober, TimeProvider time, ILogger<ActiveNodeWait> logger)
{
    /// <summary>
    /// Requests that may wait at once: more than a switch-over's worth at Webex Connect's rates (300 req/s x 3 s), and a
    /// waiting request holds at most its replay buffer (64 KiB) and no node connection.
    /// </summary>
    public const int MaxWaiting = 1024;

    // One line a second at most while the cap refuses (the 503s themselves are in the access log).
    private readonly Operations.LogRateBound _capLog = new(1, time);
    private int _waiting;

    /// <summary>Requests waiting now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>
    /// Completes with the first snapshot that satisfies <paramref name="until"/> (the current one if it does), or null when
    /// <paramref name="wait"/> passed first, the wait is zero, or <see cref="MaxWaiting"/> requests already wait.
    /// Throws <see cref="OperationCanceledException"/> when <paramref name="aborted"/> fires.
    /// </summary>
    public async Task<ActiveNodeSnapshot?> WaitAsync(Func<ActiveNodeSnapshot, bool> until, TimeSpan wait, CancellationToken aborted)
    {
        if (until(tracker.Snapshot) is true)
        {
            return tracker.Snapshot;
        }

        if (wait <= TimeSpan.Zero)
        {
            return null;
        }

        if (Interlocked.Increment(ref _waiting) > MaxWaiting)
        {
            Interlocked.Decrement(ref _waiting);
            if (_capLog.TryTake())
            {
                FailoverLog.WaitCapReached(logger, MaxWaiting);
            }

            return null;
        }

        var reached = new TaskCompletionSource<ActiveNodeSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(ActiveNodeSnapshot snapshot)
        {
            if (until(snapshot))
            {
                reached.TrySetResult(snapshot);
            }
        }

        tracker.Changed += OnChanged;
        try
        {
            // Subscribed before looking again, so a change between the first look and the subscription is not missed.
            OnChanged(tracker.Snapshot);
            using var urgent = prober.Urgent();
            return await reached.Task.WaitAsync(wait, time, aborted).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            tracker.Changed -= OnChanged;
            Interlocked.Decrement(ref _waiting);
        }
    }
}
