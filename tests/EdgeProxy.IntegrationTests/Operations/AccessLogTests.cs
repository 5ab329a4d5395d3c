using System.Net;
using EdgeProxy.IntegrationTests.Infrastructure;
using Serilog.Events;

namespace EdgeProxy.IntegrationTests.Operations;

public sealed class AccessLogTests : IAsyncLifetime
{
    private ProxyHarness _lab = null!;

    public async Task InitializeAsync() => _lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.Add("NGX_CLOUDCONNECT_CLIENT_IPS=127.0.0.2"));

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Fact]
    public async Task AdmittedRequest_LogsOneAccessEventWithTheDocumentedFields()
    {
        using var client = EdgeClient.Create(_lab.PublicUri, "127.0.0.2");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/drapi/v1/tasks?from=12345&secret=hunter2");
        request.Headers.Add("TrackingID", "track-access-1");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = Assert.Single(await _lab.Logs.WaitForEventIdAsync(4001, 1));
        Assert.Equal("EdgeProxy.Access", InMemorySink.Property(entry, "SourceContext"));
        Assert.Equal("GET", InMemorySink.Property(entry, "Method"));
        Assert.Equal("/drapi/v1/tasks?from=*&secret=*", InMemorySink.Property(entry, "Path"));
        Assert.Equal(200, Scalar<int>(entry, "Status"));
        Assert.Equal("127.0.0.2", InMemorySink.Property(entry, "Client"));
        Assert.Equal("127.0.0.2", InMemorySink.Property(entry, "Peer"));
        Assert.Equal("dr", InMemorySink.Property(entry, "Route"));
        Assert.Equal("publisher", InMemorySink.Property(entry, "Node"));
        Assert.Equal("200", InMemorySink.Property(entry, "UpstreamStatus"));
        Assert.Equal("track-access-1", InMemorySink.Property(entry, "TrackingId"));
        Assert.True(Scalar<double>(entry, "DurationMs") > 0);
        Assert.True(Scalar<double>(entry, "UpstreamHeaderMs") > 0);
        Assert.InRange(Scalar<double>(entry, "UpstreamConnectMs"), 0, Scalar<double>(entry, "UpstreamHeaderMs"));
        Assert.True(Scalar<long>(entry, "ResponseBytes") > 0);
        Assert.Equal("HTTP/1.1", InMemorySink.Property(entry, "Protocol"));
        Assert.DoesNotContain(_lab.Logs.Events, e => e.RenderMessage().Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConcurrentRequests_NeedingANewNodeConnection_LogItsConnectTime()
    {
        // Two requests held by a slow node cannot share the probes' pooled connection: one opens another.
        _lab.Publisher.Delay = TimeSpan.FromMilliseconds(500);
        using var client = EdgeClient.Create(_lab.PublicUri, "127.0.0.2");

        var responses = await Task.WhenAll(client.GetAsync("/drapi/v1/ping?a"), client.GetAsync("/drapi/v1/ping?b"));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var entries = await _lab.Logs.WaitForEventIdAsync(4001, 2);
        Assert.Equal(2, entries.Count);
        Assert.Contains(entries, e => Scalar<double>(e, "UpstreamConnectMs") > 0);
        // Timers may fire a little early; the header time still covers the node's delay.
        Assert.All(entries, e => Assert.True(Scalar<double>(e, "UpstreamHeaderMs") >= 400));
    }

    [Fact]
    public async Task RequestBody_IsCountedButNeverLogged()
    {
        using var client = EdgeClient.Create(_lab.PublicUri, "127.0.0.2");

        using var response = await client.PostAsync("/dataconn/v1/callback", new StringContent("{\"password\":\"s3cr3t-body\"}"));

        var entry = Assert.Single(await _lab.Logs.WaitForEventIdAsync(4001, 1));
        Assert.Equal(26, Scalar<long>(entry, "RequestBytes"));
        Assert.Equal("dataconn", InMemorySink.Property(entry, "Route"));
        Assert.DoesNotContain(_lab.Logs.Events, e => e.RenderMessage().Contains("s3cr3t-body", StringComparison.Ordinal)
            || e.Properties.Values.Any(v => v.ToString().Contains("s3cr3t-body", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Refusal_LogsAnAccessEventAndOneBlockingEvent()
    {
        using var client = EdgeClient.Create(_lab.PublicUri, "127.0.0.9");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/drapi/v1/tasks");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "127.0.0.2");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var access = Assert.Single(await _lab.Logs.WaitForEventIdAsync(4001, 1));
        Assert.Equal(403, Scalar<int>(access, "Status"));
        Assert.Equal("-", InMemorySink.Property(access, "Node"));
        var blocking = Assert.Single(_lab.Logs.WithEventId(3001));
        Assert.Equal("EdgeProxy.Blocking", InMemorySink.Property(blocking, "SourceContext"));
        Assert.Equal("127.0.0.9", InMemorySink.Property(blocking, "Peer"));
        Assert.Equal("127.0.0.9", InMemorySink.Property(blocking, "Client"));
        Assert.Equal("ClientNotAllowed", InMemorySink.Property(blocking, "Reason"));
    }

    private static T Scalar<T>(LogEvent logEvent, string name) =>
        logEvent.Properties[name] is ScalarValue { Value: T value } ? value : throw new InvalidOperationException($"{name} is {logEvent.Properties[name]}");
}
