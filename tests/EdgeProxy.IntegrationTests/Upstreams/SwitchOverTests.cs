using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloudConnectSimulator;
using EdgeProxy.IntegrationTests.Infrastructure;
using EdgeProxy.Upstreams;

namespace EdgeProxy.IntegrationTests.Upstreams;

/// <summary>
/// Operational events under steady load (a GET and a POST every 20 ms) with Cisco's default probe timing (interval 2000 ms,
/// timeout 2000 ms, rise 2, fall 2), two real simulators and real mutual TLS: no client sees an error, and no POST is
/// processed by both nodes.
/// </summary>
public sealed class SwitchOverTests
{
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task PlannedSwitchOver_SubscriberBecomesActiveThenPublisherStepsDown_NoClientErrors()
    {
        await using var lab = await StartAsync();
        await using var load = Load.Start(lab);

        await Task.Delay(TimeSpan.FromSeconds(1));
        lab.Subscriber.Mode = NodeMode.Active;
        await Task.Delay(TimeSpan.FromSeconds(1));
        var stepDown = load.Elapsed;
        lab.Publisher.Mode = NodeMode.Standby;
        await lab.WaitForAsync(s => s.Active == NodeRole.Subscriber, "the subscriber to become active");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var outcome = await load.StopAsync();

        await AssertNoErrorsAndNoDuplicatesAsync(lab, outcome);
        Assert.All(outcome.After(stepDown + TimeSpan.FromSeconds(0.5)), r => Assert.Equal(NodeRole.Subscriber, r.ServedBy));
    }

    [Fact]
    public async Task PlannedSwitchOver_PublisherStepsDownThenSubscriberBecomesActiveASecondLater_NoClientErrors()
    {
        await using var lab = await StartAsync();
        await using var load = Load.Start(lab);

        await Task.Delay(TimeSpan.FromSeconds(1));
        var stepDown = load.Elapsed;
        lab.Publisher.Mode = NodeMode.Standby;
        await Task.Delay(TimeSpan.FromSeconds(1));
        lab.Subscriber.Mode = NodeMode.Active;
        await lab.WaitForAsync(s => s.Active == NodeRole.Subscriber, "the subscriber to become active");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var outcome = await load.StopAsync();

        await AssertNoErrorsAndNoDuplicatesAsync(lab, outcome);
        // Requests during the gap waited for the subscriber instead of getting 503.
        Assert.Contains(outcome.Results, r => r.Sent > stepDown && r.Sent < stepDown + TimeSpan.FromSeconds(0.9) && r.ServedBy == NodeRole.Subscriber);
        Assert.All(outcome.After(stepDown), r => Assert.Equal(NodeRole.Subscriber, r.ServedBy));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    public async Task ActiveNodeDies_StandbyTakesOver_NoClientErrorsAfterTheKill(int takeoverAfterMs)
    {
        await using var lab = await StartAsync();
        await using var load = Load.Start(lab);

        await Task.Delay(TimeSpan.FromSeconds(1));
        var kill = load.Elapsed;
        lab.Publisher.Mode = NodeMode.Dead;
        if (takeoverAfterMs > 0)
        {
            await Task.Delay(takeoverAfterMs);
        }

        lab.Subscriber.Mode = NodeMode.Active;
        await lab.WaitForAsync(s => s.Active == NodeRole.Subscriber, "the subscriber to become active");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var outcome = await load.StopAsync();

        // A request the node had received when it died may not be replayed (a POST could have been processed): only
        // those sent after the kill must all succeed.
        var afterKill = outcome.After(kill).ToList();
        Assert.NotEmpty(afterKill);
        Assert.Empty(afterKill.Where(r => !r.Succeeded).Select(r => r.ToString()));
        await AssertNoDuplicatesAsync(lab, outcome);
        Assert.All(afterKill, r => Assert.Equal(NodeRole.Subscriber, r.ServedBy));
    }

    [Fact]
    public async Task BothNodesDown_RequestsGet503WithinTheWait_AndNoErrorsOnceOneIsBack()
    {
        // 100 req/s waiting up to 3 s are ~300 requests at once: over HTTP/2 more than the per-client stream limit (250),
        // over HTTP/1.1 more than the per-client connection limit (50); those limits bound the waiting work (README).
        // HTTP/1.1 with the connection limit raised, so the test measures the wait itself.
        await using var lab = await StartAsync("NGX_CLOUDCONNECT_HTTP1_CONN_LIMIT=1000");
        await using var load = Load.Start(lab, HttpVersion.Version11);

        await Task.Delay(TimeSpan.FromSeconds(1));
        var down = load.Elapsed;
        lab.Publisher.Mode = NodeMode.Dead;
        lab.Subscriber.Mode = NodeMode.Dead;
        await Task.Delay(TimeSpan.FromSeconds(3));
        var back = load.Elapsed;
        lab.Publisher.Mode = NodeMode.Active;
        await lab.WaitForAsync(s => s.Active == NodeRole.Publisher, "the publisher to be active again");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var outcome = await load.StopAsync();

        var during = outcome.Results.Where(r => r.Sent > down && r.Sent < back).ToList();
        Assert.Contains(during, r => r.Status == HttpStatusCode.ServiceUnavailable);
        // 503 after at most the wait (3 s), with slack for a loaded machine; never a 502.
        Assert.All(during.Where(r => !r.Succeeded), r =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Status);
            Assert.True(r.Took < TimeSpan.FromSeconds(4.5), $"{r} took {r.Took}");
        });
        Assert.Empty(outcome.After(back).Where(r => !r.Succeeded).Select(r => r.ToString()));
        await AssertNoDuplicatesAsync(lab, outcome);
    }

    private static Task<ProxyHarness> StartAsync(params string[] env) => ProxyHarness.StartAsync(o =>
    {
        o.HealthCheck(intervalMs: 2000, timeoutMs: 2000, rise: 2, fall: 2);
        o.ExtraEnv.AddRange(env);
    });

    private static async Task AssertNoErrorsAndNoDuplicatesAsync(ProxyHarness lab, LoadOutcome outcome)
    {
        Assert.True(outcome.Results.Count(r => r.Method == "GET") > 100, $"{outcome.Results.Count} requests");
        Assert.Empty(outcome.Results.Where(r => !r.Succeeded).Select(r => r.ToString()));
        await AssertNoDuplicatesAsync(lab, outcome);
    }

    // A POST reaches a node at most once, and the tasks both nodes hold are exactly the POSTs answered 201: one that
    // went on after a standby answer was created once, by the node that answered the client.
    private static async Task AssertNoDuplicatesAsync(ProxyHarness lab, LoadOutcome outcome)
    {
        foreach (var node in new[] { lab.Publisher, lab.Subscriber })
        {
            var posts = ProxyHarness.Proxied(node).Where(r => r.Method == "POST").Select(r => r.Body).ToList();
            Assert.Equal(posts.Count, posts.Distinct().Count());
        }

        var created = outcome.Results.Count(r => r.Method == "POST" && r.Status == HttpStatusCode.Created);
        Assert.Equal(created, await OpenTasksAsync(lab.Publisher) + await OpenTasksAsync(lab.Subscriber));
    }

    private static async Task<int> OpenTasksAsync(SimulatorNode node)
    {
        using var admin = new HttpClient { BaseAddress = node.AdminUri };
        using var state = JsonDocument.Parse(await admin.GetStringAsync("admin/state"));
        return state.RootElement.GetProperty("openTasks").GetInt32();
    }

    private sealed record Result(string Method, TimeSpan Sent, TimeSpan Took, HttpStatusCode? Status, string? TrackingId, string? Error)
    {
        /// <summary>The node that answered the client: the last one that received the request (by its tracking id).</summary>
        public NodeRole? ServedBy { get; init; }

        public bool Succeeded => Status == (Method == "POST" ? HttpStatusCode.Created : HttpStatusCode.OK);

        public override string ToString() => $"{Method} sent at {Sent.TotalMilliseconds:0} ms: {(Status is { } s ? (int)s : Error)} in {Took.TotalMilliseconds:0} ms";
    }

    private sealed record LoadOutcome(IReadOnlyList<Result> Results)
    {
        public IEnumerable<Result> After(TimeSpan time) => Results.Where(r => r.Sent >= time);
    }

    /// <summary>A GET and a POST every <see cref="Pace"/>, each on its own (a waiting request does not hold the pace back).</summary>
    private sealed class Load : IAsyncDisposable
    {
        private readonly ProxyHarness _lab;
        private readonly HttpClient _client;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentBag<Task<Result>> _requests = [];
        private readonly Task _loop;
        private int _sequence;

        private Load(ProxyHarness lab, Version version)
        {
            _lab = lab;
            _client = lab.CreateClient(version: version);
            _client.Timeout = TimeSpan.FromSeconds(30);
            _loop = Task.Run(LoopAsync);
        }

        public TimeSpan Elapsed => _clock.Elapsed;

        /// <summary>
        /// HTTP/2 unless told otherwise: requests that wait for a node hold a stream each, and ~100 of them fit one
        /// connection; over HTTP/1.1 each holds a connection, and the per-client limit (50) would refuse the rest.
        /// </summary>
        public static Load Start(ProxyHarness lab, Version? version = null) => new(lab, version ?? HttpVersion.Version20);

        public async Task<LoadOutcome> StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            var results = await Task.WhenAll(_requests);
            var received = ProxyHarness.Proxied(_lab.Publisher).Select(r => (Node: NodeRole.Publisher, Request: r))
                .Concat(ProxyHarness.Proxied(_lab.Subscriber).Select(r => (Node: NodeRole.Subscriber, Request: r)))
                .Where(r => r.Request.Headers.ContainsKey("TrackingID"))
                .GroupBy(r => r.Request.Headers["TrackingID"])
                .ToDictionary(g => g.Key, g => g.MaxBy(r => r.Request.Time).Node);
            return new LoadOutcome([.. results
                .Select(r => r with { ServedBy = r.TrackingId is { } id && received.TryGetValue(id, out var node) ? node : null })
                .OrderBy(r => r.Sent)]);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await StopAsync();
            }

            _client.Dispose();
            _stop.Dispose();
        }

        private async Task LoopAsync()
        {
            using var timer = new PeriodicTimer(Pace);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    _requests.Add(SendAsync("GET"));
                    _requests.Add(SendAsync("POST"));
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        private async Task<Result> SendAsync(string method)
        {
            var sent = _clock.Elapsed;
            try
            {
                using var response = method == "GET"
                    ? await _client.GetAsync("/drapi/v1/tasks?from=0")
                    : await _client.PostAsJsonAsync("/drapi/v1/tasks", new { mediaType = "voice", name = $"load-{Interlocked.Increment(ref _sequence)}" });
                await response.Content.ReadAsStringAsync();
                var trackingId = response.Headers.TryGetValues("TrackingID", out var ids) ? ids.First() : null;
                return new Result(method, sent, _clock.Elapsed - sent, response.StatusCode, trackingId, null);
            }
            catch (Exception ex)
            {
                return new Result(method, sent, _clock.Elapsed - sent, null, null, ex.GetType().Name + ": " + ex.Message);
            }
        }
    }
}
