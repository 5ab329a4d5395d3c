using System.Net;
using System.Text.Json;
using CloudConnectSimulator;
using EdgeProxy.IntegrationTests.Infrastructure;
using EdgeProxy.Upstreams;

namespace EdgeProxy.IntegrationTests.Operations;

public sealed class StatusEndpointTests : IAsyncLifetime
{
    private ProxyHarness _lab = null!;
    private HttpClient _status = null!;

    public async Task InitializeAsync()
    {
        _lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.AddRange(["NGX_CLOUDCONNECT_HEALTHCHECK_INTERVAL=200", "NGX_CLOUDCONNECT_HEALTHCHECK_RISE=1", "NGX_CLOUDCONNECT_HEALTHCHECK_FALL=1"]));
        _status = new HttpClient { BaseAddress = _lab.StatusUri };
    }

    public async Task DisposeAsync()
    {
        _status.Dispose();
        await _lab.DisposeAsync();
    }

    [Fact]
    public async Task ReverseProxyStatus_ShowsVersionsNodesAndTheActiveNode_AndFollowsAChange()
    {
        using (var client = _lab.CreateClient())
        using (var ok = await client.GetAsync("/drapi/v1/ping"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var asked = DateTimeOffset.UtcNow;
        using var first = JsonDocument.Parse(await _status.GetStringAsync("/reverseproxy_status"));
        var answered = DateTimeOffset.UtcNow;
        var root = first.RootElement;
        Assert.False(string.IsNullOrEmpty(root.GetProperty("version").GetString()));
        // Uptime is counted from the reported start, to the tenth of a second, at the time of the request.
        var startedAt = root.GetProperty("startedAt").GetDateTimeOffset();
        Assert.InRange(root.GetProperty("uptimeSeconds").GetDouble(), (asked - startedAt).TotalSeconds - 0.05, (answered - startedAt).TotalSeconds + 0.05);
        Assert.True(startedAt < asked, $"started at {startedAt:O}, asked at {asked:O}");
        Assert.Equal(_lab.State.Current.Version, root.GetProperty("configuration").GetProperty("version").GetString());
        Assert.Equal("publisher", root.GetProperty("active").GetProperty("node").GetString());
        var nodes = root.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("role").GetString()!);
        Assert.True(nodes["publisher"].GetProperty("active").GetBoolean());
        Assert.Equal("healthy", nodes["publisher"].GetProperty("health").GetString());
        Assert.Equal("unhealthy", nodes["subscriber"].GetProperty("health").GetString());
        Assert.Equal(200, nodes["publisher"].GetProperty("lastProbe").GetProperty("status").GetInt32());
        // A probe over loopback TLS takes well over the 0.05 ms that would round to 0.
        Assert.True(nodes["publisher"].GetProperty("lastProbe").GetProperty("latencyMs").GetDouble() > 0);
        Assert.Equal(1, root.GetProperty("counters").GetProperty("requests").GetProperty("dr 200").GetDouble());

        _lab.Subscriber.Mode = NodeMode.Active;
        _lab.Publisher.Mode = NodeMode.Standby;
        await _lab.WaitForAsync(s => s.Active == NodeRole.Subscriber, "the subscriber to become active");

        using var second = JsonDocument.Parse(await _status.GetStringAsync("/reverseproxy_status"));
        Assert.Equal("subscriber", second.RootElement.GetProperty("active").GetProperty("node").GetString());
        Assert.True(second.RootElement.GetProperty("active").GetProperty("since").GetDateTimeOffset() >
            root.GetProperty("active").GetProperty("since").GetDateTimeOffset());
    }

    [Fact]
    public async Task Readyz_IsReadyWithAnActiveNode_AndNotReadyWithout()
    {
        using (var ready = await _status.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains("active node publisher", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        _lab.Publisher.Mode = NodeMode.Standby;
        await _lab.WaitForAsync(s => s.Active is null, "no active node");

        using var notReady = await _status.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains("no node is healthy", await notReady.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var alive = await _status.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task StatusPage_IsServedWithItsAssets_AndAStrictContentSecurityPolicy()
    {
        using var page = await _status.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<script src=\"/status.js\"", html, StringComparison.Ordinal);
        Assert.Contains("/reverseproxy_status", await _status.GetStringAsync("/status.js"), StringComparison.Ordinal);
        using var css = await _status.GetAsync("/status.css");
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Metrics_ExposeTheActiveNodeAndProbeResults()
    {
        var samples = PrometheusText.Parse(await _status.GetStringAsync("/metrics"));

        Assert.Equal(1, PrometheusText.Value(samples, "edgeproxy_active_node", ("node", "publisher")));
        Assert.Equal(0, PrometheusText.Value(samples, "edgeproxy_active_node", ("node", "subscriber")));
        Assert.True(PrometheusText.Value(samples, "edgeproxy_probe_results_total", ("node", "publisher"), ("result", "good")) >= 1);
        Assert.True(PrometheusText.Value(samples, "edgeproxy_probe_results_total", ("node", "subscriber"), ("result", "bad_status")) >= 1);
    }
}
