using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloudConnectSimulator;
using EdgeProxy.IntegrationTests.Infrastructure;
using EdgeProxy.Upstreams;

namespace EdgeProxy.IntegrationTests.Upstreams;

/// <summary>Active-node routing and failover with two real simulators, real mutual TLS and real probes.</summary>
public sealed class FailoverTests
{
    private const int FastInterval = 250;

    // Long enough that no probe runs during the test after the first round: only forwarded traffic can notice a failure.
    private const int NoProbesDuringTest = 60_000;

    [Fact]
    public async Task SimulatorSwitchesActiveSide_TrafficFollowsWithinRiseIntervals_WithOneLoggedChange()
    {
        await using var lab = await ProxyHarness.StartAsync(o => o.HealthCheck(FastInterval));
        Assert.Equal(NodeRole.Publisher, lab.Tracker.Snapshot.Active);
        using var client = lab.CreateClient();

        // As Cloud Connect does it: the subscriber takes over Digital Routing, the publisher goes standby.
        var switched = Stopwatch.StartNew();
        lab.Subscriber.Mode = NodeMode.Active;
        lab.Publisher.Mode = NodeMode.Standby;
        // RISE (=FALL) probe intervals, plus one interval for the round already under way, plus scheduling slack.
        var snapshot = await lab.WaitForAsync(s => s.Active == NodeRole.Subscriber, "the subscriber to become active",
            TimeSpan.FromMilliseconds(3 * FastInterval) + TimeSpan.FromSeconds(1.5));
        switched.Stop();

        using var list = await client.GetAsync("/drapi/v1/tasks?from=0");
        using var created = await client.PostAsJsonAsync("/drapi/v1/tasks", new { mediaType = "chat", name = "after switch" });

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains(ProxyHarness.Proxied(lab.Subscriber), r => r.Method == "POST" && r.Path == "/drapi/v1/tasks");
        Assert.DoesNotContain(ProxyHarness.Proxied(lab.Publisher), r => r.Method == "POST");
        var change = Assert.Single(lab.Logs.WithEventId(2101), e => InMemorySink.Property(e, "From") == "publisher");
        Assert.Equal("subscriber", InMemorySink.Property(change, "To"));
        Assert.Contains("probe answered 503", InMemorySink.Property(change, "Reason"), StringComparison.Ordinal);
        Assert.True(snapshot.ActiveSince <= DateTimeOffset.UtcNow);
        Assert.True(switched.Elapsed < TimeSpan.FromMilliseconds(3 * FastInterval) + TimeSpan.FromSeconds(1.5), $"switched after {switched.Elapsed}");
    }

    [Theory]
    [InlineData(true, "GET")]
    [InlineData(true, "POST")]
    [InlineData(false, "GET")]
    [InlineData(false, "POST")]
    public async Task ActiveNodeKilledBetweenRequests_NextRequestSucceedsOnOtherNode(bool stopProcess, string method)
    {
        await using var lab = await ProxyHarness.StartAsync(o =>
        {
            o.SubscriberMode = NodeMode.Active;
            o.HealthCheck(NoProbesDuringTest);
        });
        AssertActive(lab, NodeRole.Publisher);
        using var client = lab.CreateClient();
        using var warmUp = await client.GetAsync("/drapi/v1/tasks?from=0"); // leaves a pooled connection to the publisher
        Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);

        if (stopProcess)
        {
            await lab.Publisher.StopAsync(); // connection refused
        }
        else
        {
            lab.Publisher.Mode = NodeMode.Dead; // accepted, then reset before TLS
        }

        using var first = method == "GET"
            ? await client.GetAsync("/drapi/v1/tasks?from=0")
            : await client.PostAsJsonAsync("/drapi/v1/tasks", new { mediaType = "chat", name = "after kill" });
        using var second = await client.PostAsJsonAsync("/drapi/v1/tasks", new { mediaType = "chat", name = "second" });

        Assert.Equal(method == "GET" ? HttpStatusCode.OK : HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(2 - (method == "GET" ? 1 : 0), ProxyHarness.Proxied(lab.Subscriber).Count(r => r.Method == "POST"));
        Assert.Equal(NodeRole.Subscriber, lab.Tracker.Snapshot.Active);
        Assert.Equal(NodeHealth.Unhealthy, lab.Tracker.Snapshot.Publisher.Health);
        var retry = Assert.Single(lab.Logs.WithEventId(2103));
        Assert.Equal(method, InMemorySink.Property(retry, "Method"));
        Assert.Equal("subscriber", InMemorySink.Property(retry, "To"));
        Assert.Empty(lab.Logs.WithEventId(2002)); // no forwarding failure reached a client
    }

    [Fact]
    public async Task BothNodesDie_Returns503Quickly_WithRetryAfterAndReason_ThenSendsThemNothing()
    {
        await using var lab = await ProxyHarness.StartAsync(o =>
        {
            o.SubscriberMode = NodeMode.Active;
            o.HealthCheck(NoProbesDuringTest, timeoutMs: 5000);
            o.ExtraEnv.Add("EDGEPROXY_ACTIVE_NODE_WAIT=0"); // no wait: 503 at once, as before the wait existed
        });
        using var client = lab.CreateClient();
        lab.Publisher.Mode = NodeMode.Dead;
        lab.Subscriber.Mode = NodeMode.Dead;

        var started = Stopwatch.StartNew();
        using var first = await client.GetAsync("/drapi/v1/tasks?from=0");
        var firstTook = started.Elapsed;
        var rejected = (lab.Publisher.ConnectionsRejected, lab.Subscriber.ConnectionsRejected);
        using var second = await client.PostAsJsonAsync("/drapi/v1/tasks", new { mediaType = "chat", name = "nobody home" });

        foreach (var response in new[] { first, second })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("120", Assert.Single(response.Headers.GetValues("Retry-After"))); // RISE x INTERVAL = 2 x 60 s
            var (error, reason) = await ErrorAsync(response);
            Assert.Equal("no_active_node", error);
            AssertNoInternalDetail(reason, lab);
        }

        // The detail (which node, where, why) is for the operator: the log and the status listener.
        Assert.Contains(lab.Logs.WithEventId(2102), e => InMemorySink.Property(e, "Address").StartsWith("127.0.0.11:", StringComparison.Ordinal));
        Assert.Contains(lab.Logs.WithEventId(2102), e => InMemorySink.Property(e, "Address").StartsWith("127.0.0.12:", StringComparison.Ordinal));

        Assert.True(firstTook < TimeSpan.FromSeconds(2.5), $"took {firstTook} (probe timeout 5 s)");
        Assert.Null(lab.Tracker.Snapshot.Active);
        // Both nodes are known to be down now: the second request was answered without contacting either.
        Assert.Equal(rejected, (lab.Publisher.ConnectionsRejected, lab.Subscriber.ConnectionsRejected));
    }

    [Fact]
    public async Task BothNodesKnownDownByProbes_Returns503WithoutContactingThem()
    {
        await using var lab = await ProxyHarness.StartAsync(o =>
        {
            o.HealthCheck(FastInterval);
            o.ExtraEnv.Add("EDGEPROXY_ACTIVE_NODE_WAIT=0");
        });
        using var client = lab.CreateClient();
        await lab.Publisher.StopAsync();
        await lab.Subscriber.StopAsync();
        await lab.WaitForAsync(s => s.Active is null && s.Publisher.Reachable == false && s.Subscriber.Reachable == false, "both nodes down");

        var started = Stopwatch.StartNew();
        using var response = await client.GetAsync("/drapi/v1/ping");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2.5), $"took {started.Elapsed} (probe timeout 5 s)");
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("Retry-After")));
        var (error, reason) = await ErrorAsync(response);
        Assert.Equal("no_active_node", error);
        AssertNoInternalDetail(reason, lab);
        Assert.DoesNotContain("refused", reason, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(lab.Logs.WithEventId(2102), e => InMemorySink.Property(e, "Detail").Contains("connection refused", StringComparison.Ordinal));
        Assert.Empty(lab.Logs.WithEventId(2105)); // not even tried
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DataConn_PublisherDown_Returns503PublisherOnly_AndSubscriberSeesNothing(bool knownByProbes)
    {
        await using var lab = await ProxyHarness.StartAsync(o =>
        {
            o.SubscriberMode = NodeMode.Active;
            o.HealthCheck(knownByProbes ? FastInterval : NoProbesDuringTest);
        });
        using var client = lab.CreateClient();
        await lab.Publisher.StopAsync();
        if (knownByProbes)
        {
            await lab.WaitForAsync(s => s.Publisher.Reachable == false, "the publisher to be unreachable");
        }

        using var response = await client.PostAsync("/dataconn/v1/usersync/callback", new StringContent("{\"users\":[1]}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.Contains("Retry-After"));
        var (error, reason) = await ErrorAsync(response);
        Assert.Equal("publisher_unavailable", error);
        Assert.Contains("DataConn runs only on the Cloud Connect publisher", reason, StringComparison.Ordinal);
        AssertNoInternalDetail(reason, lab);
        Assert.DoesNotContain(lab.Subscriber.Requests, r => r.Path.StartsWith("/dataconn", StringComparison.Ordinal));
        Assert.Empty(lab.Subscriber.DataConnCallbacks);
        // Digital Routing moved on to the subscriber, DataConn did not.
        Assert.Equal(NodeRole.Subscriber, lab.Tracker.Snapshot.Active);
    }

    [Fact]
    public async Task NodeWithCertificateFromAnotherCa_AnsweringPing200_IsNeverSelected()
    {
        await using var lab = await ProxyHarness.StartAsync(o =>
        {
            o.PublisherCertificate = RepoPaths.SampleCert("rogue-publisher.crt");
            o.PublisherKey = RepoPaths.SampleCert("rogue-publisher.key");
            o.SubscriberMode = NodeMode.Active;
            o.HealthCheck(FastInterval);
        });
        using var client = lab.CreateClient();
        await lab.WaitForAsync(s => s.Publisher.ConsecutiveFailures >= 3, "three rejected probes of the rogue publisher");

        using var served = await client.GetAsync("/drapi/v1/ping");
        lab.Subscriber.Mode = NodeMode.Standby;
        await lab.WaitForAsync(s => s.Active is null, "no active node");
        using var refused = await client.GetAsync("/drapi/v1/ping");

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Contains("subscriber", await served.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var refusedReason = (await ErrorAsync(refused)).Reason;
        AssertNoInternalDetail(refusedReason, lab);
        Assert.DoesNotContain("TLS", refusedReason, StringComparison.Ordinal);
        Assert.Contains("TLS with the node failed", lab.Tracker.Snapshot.Publisher.Detail, StringComparison.Ordinal);
        Assert.Empty(lab.Publisher.Requests); // neither a probe nor a request got past its TLS
        Assert.DoesNotContain(lab.Logs.WithEventId(2101), e => InMemorySink.Property(e, "To") == "publisher");
        Assert.Equal(NodeHealth.Unhealthy, lab.Tracker.Snapshot.Publisher.Health);
        Assert.Equal(false, lab.Tracker.Snapshot.Publisher.Reachable);
    }

    [Fact]
    public async Task NonIdempotentRequest_NodeDiesAfterReceivingIt_IsNotReplayed()
    {
        await using var lab = await StartWithSlowPublisherAsync();
        using var client = lab.CreateClient();

        using var response = await KillPublisherOnceItHasAsync(lab, "POST", client.PostAsJsonAsync("/drapi/v1/tasks", new { mediaType = "chat", name = "in flight" }));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("not replayed", (await ErrorAsync(response)).Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(lab.Subscriber.Requests, r => r.Method == "POST");
        Assert.Empty(lab.Logs.WithEventId(2103));
        // The reset still counts as a transport failure: Digital Routing moved to the subscriber.
        Assert.Equal(NodeRole.Subscriber, lab.Tracker.Snapshot.Active);
    }

    [Fact]
    public async Task IdempotentRequest_NodeDiesAfterReceivingIt_IsRetriedOnOtherNode()
    {
        await using var lab = await StartWithSlowPublisherAsync();
        using var client = lab.CreateClient();

        using var response = await KillPublisherOnceItHasAsync(lab, "GET", client.GetAsync("/drapi/v1/tasks?from=0"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(ProxyHarness.Proxied(lab.Subscriber), r => r.Method == "GET" && r.Path == "/drapi/v1/tasks");
        Assert.Single(lab.Logs.WithEventId(2103));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(40 * 1024)] // over ASP.NET Core's 30 KB in-memory buffering, under EdgeProxy's 64 KB replay bound
    public async Task IdempotentRequestWithBody_NodeDiesAfterReceivingIt_IsReplayedWithTheSameBody(int size)
    {
        await using var lab = await StartWithSlowPublisherAsync();
        using var client = lab.CreateClient();
        var body = new string('r', size);

        using var response = await KillPublisherOnceItHasAsync(lab, "PUT", client.PutAsync("/drapi/v1/tasks/replayed", new StringContent(body)));

        Assert.NotEqual(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(body, Assert.Single(ProxyHarness.Proxied(lab.Publisher)).Body);
        var replayed = Assert.Single(ProxyHarness.Proxied(lab.Subscriber), r => r.Method == "PUT");
        Assert.Equal(body, replayed.Body);
        Assert.Single(lab.Logs.WithEventId(2103));
    }

    [Fact]
    public async Task IdempotentRequestWithBodyOverTheReplayBound_NodeDiesAfterReceivingIt_IsNotReplayed()
    {
        await using var lab = await StartWithSlowPublisherAsync();
        using var client = lab.CreateClient();

        using var response = await KillPublisherOnceItHasAsync(lab, "PUT",
            client.PutAsync("/drapi/v1/tasks/too-big-to-replay", new StringContent(new string('r', ReplayableRequestBody.DefaultLimit + 1))));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("not replayed", (await ErrorAsync(response)).Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(lab.Subscriber.Requests, r => r.Method == "PUT");
    }

    [Fact]
    public async Task RecoveredNode_DoesNotTakeTrafficBack()
    {
        await using var lab = await ProxyHarness.StartAsync(o =>
        {
            o.SubscriberMode = NodeMode.Active;
            o.HealthCheck(FastInterval);
        });
        using var client = lab.CreateClient();
        lab.Publisher.Mode = NodeMode.Dead;
        await lab.WaitForAsync(s => s.Active == NodeRole.Subscriber, "the subscriber to take over");

        lab.Publisher.Mode = NodeMode.Active;
        await lab.WaitForAsync(s => s.Publisher.Health == NodeHealth.Healthy, "the publisher to recover");
        lab.Publisher.ClearRecords();
        using var response = await client.GetAsync("/drapi/v1/tasks?from=0");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(NodeRole.Subscriber, lab.Tracker.Snapshot.Active);
        Assert.Empty(ProxyHarness.Proxied(lab.Publisher));
        Assert.Single(lab.Logs.WithEventId(2101), e => InMemorySink.Property(e, "From") != "none");
    }

    [Fact]
    public async Task Probes_UseTheProxyClientCertificate_TheExternalHost_AndReportLatency()
    {
        await using var lab = await ProxyHarness.StartAsync();

        var snapshot = lab.Tracker.Snapshot;
        var probe = Assert.Single(ProxyHarness.Probes(lab.Publisher).Take(1));

        Assert.Equal("/drapi/v1/ping", probe.Path);
        Assert.Equal("HTTP/1.1", probe.Protocol);
        Assert.Equal("edgeproxy.lab.local", probe.Headers["Host"]);
        Assert.Contains("CN=edgeproxy.lab.local", probe.ClientCertificateSubject, StringComparison.Ordinal);
        Assert.Equal(NodeRole.Publisher, snapshot.Active);
        Assert.Equal(200, snapshot.Publisher.LastProbe?.StatusCode);
        Assert.Equal(503, snapshot.Subscriber.LastProbe?.StatusCode);
        Assert.True(snapshot.Publisher.LastProbe?.Latency > TimeSpan.Zero, $"latency {snapshot.Publisher.LastProbe?.Latency}");
        Assert.Equal(NodeHealth.Unhealthy, snapshot.Subscriber.Health);
        Assert.Equal(true, snapshot.Subscriber.Reachable);
    }

    private static void AssertActive(ProxyHarness lab, NodeRole? expected)
    {
        var snapshot = lab.Tracker.Snapshot;
        Assert.True(snapshot.Active == expected, $"active {snapshot.Active?.ToString() ?? "none"}, expected {expected?.ToString() ?? "none"}: {snapshot.DescribeNodes()}");
    }

    // Polls a condition no event announces (what a simulator received), with a deadline.
    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(15))
            {
                throw new TimeoutException("waited for " + what);
            }

            await Task.Delay(10);
        }
    }

    // The subscriber is active, the publisher holds every request 30 s (from after the first probe round), and no probe
    // runs during the test: only forwarded traffic can notice the publisher dying.
    private static async Task<ProxyHarness> StartWithSlowPublisherAsync()
    {
        var lab = await ProxyHarness.StartAsync(o =>
        {
            o.SubscriberMode = NodeMode.Active;
            o.HealthCheck(NoProbesDuringTest);
        });
        lab.Publisher.Delay = TimeSpan.FromSeconds(30);
        return lab;
    }

    // The node dies after receiving the request: once the publisher recorded it, dead mode resets its connections.
    private static async Task<HttpResponseMessage> KillPublisherOnceItHasAsync(ProxyHarness lab, string method, Task<HttpResponseMessage> pending)
    {
        await Eventually(() => ProxyHarness.Proxied(lab.Publisher).Any(r => r.Method == method), $"the publisher to receive the {method}");
        lab.Publisher.Mode = NodeMode.Dead;
        return await pending;
    }

    /// <summary>A client-facing reason names the cause, never a node's address, port or TLS detail.</summary>
    private static void AssertNoInternalDetail(string reason, ProxyHarness lab)
    {
        foreach (var secret in new[] { "127.0.0.11", "127.0.0.12", lab.Publisher.HttpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            lab.Subscriber.HttpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "TLS", "probe", " ms" })
        {
            Assert.DoesNotContain(secret, reason, StringComparison.Ordinal);
        }
    }

    private static async Task<(string Error, string Reason)> ErrorAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("error").GetString() ?? "", body.RootElement.GetProperty("reason").GetString() ?? "");
    }
}
