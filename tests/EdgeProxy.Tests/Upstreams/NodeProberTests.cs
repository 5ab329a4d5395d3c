using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using EdgeProxy.Configuration;
using EdgeProxy.Tests.Support;
using EdgeProxy.Upstreams;
using Microsoft.Extensions.Time.Testing;

namespace EdgeProxy.Tests.Upstreams;

/// <summary>The probe loop on a fake clock: its schedule, its timeout and its reloads; the nodes are a stub handler.</summary>
public sealed class NodeProberTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly StubNodes _nodes = new();
    private readonly ListLogger<NodeProber> _log = new();
    private readonly SemaphoreSlim _rounds = new(0);
    private ProxyState _state = null!;
    private ActiveNodeTracker _tracker = null!;
    private NodeProber _prober = null!;

    public async ValueTask DisposeAsync()
    {
        await _prober.StopAsync(CancellationToken.None);
        _prober.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task FirstRound_AtStart_ProbesBothNodesLikeTraffic_AndRecordsAnswerAndFailureWithTimings()
    {
        _nodes.Answer = (request, _) =>
        {
            if (request.RequestUri!.Host == "127.0.0.11")
            {
                _time.Advance(TimeSpan.FromMilliseconds(12));
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
            }

            _time.Advance(TimeSpan.FromMilliseconds(2));
            throw new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused));
        };

        await StartAsync(intervalMs: 2000, timeoutMs: 2000);
        await NextRoundAsync();

        Assert.Equal(["https://127.0.0.11:8445/drapi/v1/ping", "https://127.0.0.12:8445/drapi/v1/ping"], _nodes.Seen.Select(s => s.Uri).Order());
        Assert.All(_nodes.Seen, s => Assert.Equal(("proxy.example.com", NodeProber.UserAgent, HttpVersion.Version11), (s.Host, s.UserAgent, s.Version)));
        var snapshot = _tracker.Snapshot;
        Assert.Equal(NodeRole.Publisher, snapshot.Active);
        Assert.Equal(TimeSpan.FromMilliseconds(12), snapshot.Publisher.LastProbe?.Latency);
        Assert.Equal(200, snapshot.Publisher.LastProbe?.StatusCode);
        Assert.Equal("connection refused (ConnectionRefused)", snapshot.Subscriber.LastProbe?.Error);
        Assert.Equal(TimeSpan.FromMilliseconds(2), snapshot.Subscriber.LastProbe?.Latency);
        Assert.False(snapshot.Subscriber.Reachable);
    }

    [Fact]
    public async Task Rounds_StartIntervalAfterThePreviousRound()
    {
        await StartAsync(intervalMs: 5000, timeoutMs: 2000);
        await NextRoundAsync();

        for (var round = 1; round <= 3; round++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(4999));
            Assert.Equal(0, _rounds.CurrentCount);
            _time.Advance(TimeSpan.FromMilliseconds(1));
            await NextRoundAsync();
            Assert.Equal(Start + TimeSpan.FromSeconds(5 * round), _tracker.Snapshot.Publisher.LastProbe?.StartedAt);
        }

        Assert.Equal(8, _nodes.Seen.Count);
    }

    [Fact]
    public async Task Probe_NoAnswerWithinTimeout_IsAFailedProbe()
    {
        _nodes.Answer = async (request, cancellationToken) =>
        {
            if (request.RequestUri!.Host == "127.0.0.12")
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        };

        await StartAsync(intervalMs: 2000, timeoutMs: 1000);
        await _nodes.WaitForRequestsAsync(2);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, _rounds.CurrentCount);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await NextRoundAsync();

        var subscriber = _tracker.Snapshot.Subscriber;
        Assert.Equal("no answer in time", subscriber.LastProbe?.Error);
        Assert.Equal(TimeSpan.FromSeconds(1), subscriber.LastProbe?.Latency);
        Assert.Equal(NodeHealth.Unhealthy, subscriber.Health);
        Assert.Equal(NodeHealth.Healthy, _tracker.Snapshot.Publisher.Health);
    }

    [Fact]
    public async Task Reload_ShorterInterval_EndsTheWaitUnderWay_AndTheTrackerCountsWithTheNewRules()
    {
        await StartAsync(intervalMs: 10_000, timeoutMs: 2000);
        await NextRoundAsync();
        _time.Advance(TimeSpan.FromSeconds(2));

        _state.Activate(Load(intervalMs: 5000, timeoutMs: 1500, rise: 3));

        var rules = _tracker.Snapshot.Rules;
        Assert.Equal((3, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1.5)), (rules.Rise, rules.Interval, rules.Timeout));
        Assert.Single(_log.WithEventId(2106));
        _time.Advance(TimeSpan.FromMilliseconds(2999));
        Assert.Equal(0, _rounds.CurrentCount);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await NextRoundAsync();
        Assert.Equal(Start + TimeSpan.FromSeconds(5), _tracker.Snapshot.Publisher.LastProbe?.StartedAt);

        _time.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.Equal(0, _rounds.CurrentCount);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await NextRoundAsync();
    }

    [Fact]
    public async Task Reload_IntervalAlreadyPassed_ProbesAtOnce()
    {
        await StartAsync(intervalMs: 10_000, timeoutMs: 2000);
        await NextRoundAsync();
        _time.Advance(TimeSpan.FromSeconds(3));

        _state.Activate(Load(intervalMs: 2000, timeoutMs: 2000));

        await NextRoundAsync();
        Assert.Equal(Start + TimeSpan.FromSeconds(3), _tracker.Snapshot.Publisher.LastProbe?.StartedAt);
    }

    [Fact]
    public async Task Reload_OtherSettingsOnly_NeitherLogsNorMovesTheSchedule()
    {
        await StartAsync(intervalMs: 5000, timeoutMs: 2000);
        await NextRoundAsync();

        _state.Activate(Load(intervalMs: 5000, timeoutMs: 2000, clients: "127.0.0.1|127.0.0.7"));
        _time.Advance(TimeSpan.FromMilliseconds(4999));

        Assert.Empty(_log.WithEventId(2106));
        Assert.Equal(0, _rounds.CurrentCount);
    }

    [Fact]
    public async Task Stop_EndsTheLoop_NoFurtherProbes()
    {
        await StartAsync(intervalMs: 1000, timeoutMs: 1000);
        await NextRoundAsync();

        await _prober.StopAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(_prober.ExecuteTask?.IsCompletedSuccessfully);
        Assert.Equal(2, _nodes.Seen.Count);
        Assert.Equal(0, _rounds.CurrentCount);
    }

    [Fact]
    public async Task ProbeNow_ConcurrentCallers_ShareOneRound_ThenTheRegularScheduleFollows()
    {
        await StartAsync(intervalMs: 5000, timeoutMs: 2000);
        await NextRoundAsync();
        _time.Advance(TimeSpan.FromSeconds(1));

        var first = _prober.ProbeNow();
        var second = _prober.ProbeNow();
        await NextRoundAsync();
        await Task.WhenAll(first, second).WaitAsync(Patience);

        Assert.Same(first, second);
        Assert.Equal(4, _nodes.Seen.Count);
        Assert.Equal(Start + TimeSpan.FromSeconds(1), _tracker.Snapshot.Publisher.LastProbe?.StartedAt);
        _time.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.Equal(0, _rounds.CurrentCount);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await NextRoundAsync();
        Assert.Equal(6, _nodes.Seen.Count);
    }

    [Fact]
    public async Task ProbeNow_RightAfterARound_WaitsTheMinimumGap()
    {
        await StartAsync(intervalMs: 5000, timeoutMs: 2000);
        await NextRoundAsync();

        var next = _prober.ProbeNow();
        _time.Advance(NodeProber.MinimumGap - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, _rounds.CurrentCount);
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await NextRoundAsync();
        await next.WaitAsync(Patience);

        Assert.Equal(Start + NodeProber.MinimumGap, _tracker.Snapshot.Publisher.LastProbe?.StartedAt);
    }

    [Fact]
    public async Task ProbeNow_DuringARound_IsAnsweredByTheNextRound_AMinimumGapLater()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = true;
        _nodes.Answer = async (_, _) =>
        {
            if (Volatile.Read(ref holding))
            {
                await hold.Task;
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        };
        await StartAsync(intervalMs: 5000, timeoutMs: 2000);
        await _nodes.WaitForRequestsAsync(2);

        var next = _prober.ProbeNow(); // the round under way was sent before this call: it cannot answer it
        Volatile.Write(ref holding, false);
        hold.SetResult();
        await NextRoundAsync();
        Assert.False(next.IsCompleted);
        _time.Advance(NodeProber.MinimumGap);
        await NextRoundAsync();

        await next.WaitAsync(Patience);
        Assert.Equal(4, _nodes.Seen.Count);
    }

    [Fact]
    public async Task Urgent_ProbesAtOnceThenEveryUrgentInterval_UntilDisposed_ThenTheIntervalAgain()
    {
        await StartAsync(intervalMs: 5000, timeoutMs: 2000);
        await NextRoundAsync();
        _time.Advance(TimeSpan.FromSeconds(1));

        var urgent = _prober.Urgent();
        await NextRoundAsync();
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(NodeProber.UrgentInterval - TimeSpan.FromMilliseconds(1));
            Assert.Equal(0, _rounds.CurrentCount);
            _time.Advance(TimeSpan.FromMilliseconds(1));
            await NextRoundAsync();
        }

        urgent.Dispose();
        urgent.Dispose(); // idempotent: the count does not go below zero
        _time.Advance(NodeProber.UrgentInterval); // the wait under way was set while urgent
        await NextRoundAsync();
        var lastRound = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.Equal(0, _rounds.CurrentCount);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await NextRoundAsync();
        Assert.Equal(lastRound + TimeSpan.FromSeconds(5), _tracker.Snapshot.Publisher.LastProbe?.StartedAt);
    }

    private async Task StartAsync(int intervalMs, int timeoutMs)
    {
        _state = new ProxyState(Load(intervalMs, timeoutMs), _time);
        _tracker = new ActiveNodeTracker(HealthCheckRules.From(_state.Current.Settings), "127.0.0.11:8445", "127.0.0.12:8445", _time, new ListLogger<ActiveNodeTracker>());
        ProbeResult? last = null;
        _tracker.Changed += snapshot =>
        {
            if (!ReferenceEquals(snapshot.Publisher.LastProbe, last))
            {
                last = snapshot.Publisher.LastProbe;
                _rounds.Release();
            }
        };
        _prober = new NodeProber(_tracker, _state, new HttpMessageInvoker(_nodes), _time, _log);
        await _prober.StartAsync(CancellationToken.None);
    }

    private async Task NextRoundAsync() => Assert.True(await _rounds.WaitAsync(Patience), "no probe round was recorded");

    private LoadedConfiguration Load(int intervalMs, int timeoutMs, int rise = 2, string clients = "127.0.0.1")
    {
        var file = _directory.Write("proxy.env", TestEnv.LabEnv(clients,
            $"NGX_CLOUDCONNECT_HEALTHCHECK_INTERVAL={intervalMs}",
            $"NGX_CLOUDCONNECT_HEALTHCHECK_TIMEOUT={timeoutMs}",
            $"NGX_CLOUDCONNECT_HEALTHCHECK_RISE={rise}"));
        return ConfigurationLoader.Load(new EnvSources([file], []), TestEnv.NoProcessEnvironment, _time).Configuration
            ?? throw new InvalidOperationException("the test configuration does not load");
    }

    private sealed record SeenRequest(string Uri, string? Host, string? UserAgent, Version Version);

    /// <summary>Both nodes: every request recorded, answered by <see cref="Answer"/> (200 unless a test says otherwise).</summary>
    private sealed class StubNodes : HttpMessageHandler
    {
        private readonly ConcurrentQueue<SeenRequest> _seen = new();
        private readonly SemaphoreSlim _received = new(0);

        public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Answer { get; set; } =
            (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

        public IReadOnlyList<SeenRequest> Seen => [.. _seen];

        public async Task WaitForRequestsAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                Assert.True(await _received.WaitAsync(Patience), "the nodes were not probed");
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _seen.Enqueue(new SeenRequest(request.RequestUri!.ToString(), request.Headers.Host, request.Headers.UserAgent.ToString(), request.Version));
            _received.Release();
            return Answer(request, cancellationToken);
        }
    }
}
