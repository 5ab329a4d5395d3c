using EdgeProxy.Upstreams;
using Microsoft.Extensions.Time.Testing;

namespace EdgeProxy.Tests.Upstreams;

/// <summary>Waiting for an active node on a fake clock: completes on the tracker's change, bounded by time, abort and a cap.</summary>
public sealed class ActiveNodeWaitTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeProber _prober = new();
    private readonly ActiveNodeTracker _tracker;
    private readonly ActiveNodeWait _wait;

    public ActiveNodeWaitTests()
    {
        _tracker = new ActiveNodeTracker(new HealthCheckRules(2, 2, new HashSet<int> { 200 }, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)),
            "10.0.0.1:8445", "10.0.0.2:8445", _time, new ListLogger<ActiveNodeTracker>());
        _wait = new ActiveNodeWait(_tracker, _prober, _time, new ListLogger<ActiveNodeWait>());
    }

    [Fact]
    public async Task WaitAsync_NodeAlreadyActive_ReturnsAtOnce_WithoutProbing()
    {
        Round(200, 503);

        var snapshot = await _wait.WaitAsync(s => s.Active is not null, Wait, CancellationToken.None);

        Assert.Equal(NodeRole.Publisher, snapshot?.Active);
        Assert.Equal(0, _prober.UrgentScopes);
    }

    [Fact]
    public async Task WaitAsync_NodeBecomesActive_CompletesOnTheChange_WithoutTimePassing()
    {
        Round(503, 503);

        var waiting = _wait.WaitAsync(s => s.Active is not null, Wait, CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, _wait.Waiting);
        Assert.Equal(1, _prober.OpenUrgentScopes);
        Round(503, 200);
        var snapshot = await waiting.WaitAsync(Patience);

        Assert.Equal(NodeRole.Subscriber, snapshot?.Active);
        Assert.Equal(0, _wait.Waiting);
        Assert.Equal(0, _prober.OpenUrgentScopes); // fast probing ends with the last waiter
    }

    [Fact]
    public async Task WaitAsync_NoNodeWithinTheWait_ReturnsNullAtTheBound()
    {
        Round(null, null);

        var waiting = _wait.WaitAsync(s => s.Active is not null, Wait, CancellationToken.None);
        _time.Advance(Wait - TimeSpan.FromMilliseconds(1));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Null(await waiting.WaitAsync(Patience));
        Assert.Equal(0, _wait.Waiting);
        Assert.Equal(0, _prober.OpenUrgentScopes);
    }

    [Fact]
    public async Task WaitAsync_ZeroWait_ReturnsNullAtOnce_WithoutProbing()
    {
        Round(null, null);

        Assert.Null(await _wait.WaitAsync(s => s.Active is not null, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(0, _prober.UrgentScopes);
    }

    [Fact]
    public async Task WaitAsync_ClientGoesAway_Throws_AndStopsWaiting()
    {
        Round(null, null);
        using var aborted = new CancellationTokenSource();

        var waiting = _wait.WaitAsync(s => s.Active is not null, Wait, aborted.Token);
        await aborted.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, _wait.Waiting);
        Assert.Equal(0, _prober.OpenUrgentScopes);
    }

    [Fact]
    public async Task WaitAsync_CapReached_FurtherRequestsGetNullAtOnce_AndWaitersStillComplete()
    {
        Round(null, null);
        var waiters = Enumerable.Range(0, ActiveNodeWait.MaxWaiting)
            .Select(_ => _wait.WaitAsync(s => s.Active is not null, Wait, CancellationToken.None)).ToList();

        var overTheCap = _wait.WaitAsync(s => s.Active is not null, Wait, CancellationToken.None);

        Assert.True(overTheCap.IsCompleted);
        Assert.Null(await overTheCap);
        Assert.Equal(ActiveNodeWait.MaxWaiting, _wait.Waiting);
        Round(200, null);
        Round(200, null);
        var results = await Task.WhenAll(waiters).WaitAsync(Patience);
        Assert.All(results, s => Assert.Equal(NodeRole.Publisher, s?.Active));
        Assert.Equal(0, _wait.Waiting);
    }

    private void Round(int? publisher, int? subscriber)
    {
        var now = _time.GetUtcNow();
        _tracker.RecordProbes([Probe(NodeRole.Publisher, publisher, now), Probe(NodeRole.Subscriber, subscriber, now)]);
    }

    private static ProbeResult Probe(NodeRole node, int? code, DateTimeOffset at) => code is { } status
        ? ProbeResult.Answered(node, at, TimeSpan.FromMilliseconds(1), status)
        : ProbeResult.Failed(node, at, TimeSpan.FromMilliseconds(1), "connection refused");

    private sealed class FakeProber : IProbeScheduler
    {
        private int _open;
        private int _total;

        public int UrgentScopes => Volatile.Read(ref _total);

        public int OpenUrgentScopes => Volatile.Read(ref _open);

        public Task ProbeNow() => Task.CompletedTask;

        public IDisposable Urgent()
        {
            Interlocked.Increment(ref _total);
            Interlocked.Increment(ref _open);
            return new Scope(this);
        }

        private sealed class Scope(FakeProber prober) : IDisposable
        {
            public void Dispose() => Interlocked.Decrement(ref prober._open);
        }
    }
}
