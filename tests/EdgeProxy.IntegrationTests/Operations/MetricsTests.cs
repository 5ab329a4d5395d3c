using System.Net;
using EdgeProxy.IntegrationTests.Infrastructure;

namespace EdgeProxy.IntegrationTests.Operations;

public sealed class MetricsTests : IAsyncLifetime
{
    private ProxyHarness _lab = null!;

    public async Task InitializeAsync() => _lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.Add("NGX_CLOUDCONNECT_CLIENT_IPS=127.0.0.2"));

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Fact]
    public async Task Metrics_ParseAsPrometheusText_AndCountersMoveWithTraffic()
    {
        using var status = new HttpClient { BaseAddress = _lab.StatusUri };
        var before = PrometheusText.Parse(await status.GetStringAsync("/metrics"));
        // The counters alerts take increase() of exist at 0 from start (a series born at 1 would hide its first increment).
        foreach (var (name, label, value) in new[] { ("edgeproxy_config_reloads_total", "result", "rejected"), ("edgeproxy_refusals_total", "reason", "RateLimited"),
            ("edgeproxy_refusals_total", "reason", "ConnectionLimit"), ("edgeproxy_node_health_changes_total", "node", "publisher") })
        {
            Assert.Contains(before, s => s.Name == name && s.Labels.GetValueOrDefault(label) == value && s.Value == 0);
        }

        Assert.Contains(before, s => s.Name == "edgeproxy_active_node_changes_total" && s.Value == 0);
        var logged = _lab.Logs.WithEventId(4001).Count();
        using var allowed = EdgeClient.Create(_lab.PublicUri, "127.0.0.2");
        using var refused = EdgeClient.Create(_lab.PublicUri, "127.0.0.3");

        for (var i = 0; i < 3; i++)
        {
            using var ok = await allowed.GetAsync("/drapi/v1/ping");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var forbidden = await refused.GetAsync("/drapi/v1/ping"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        // Each request's metrics are recorded just before its access-log line, which may come after the response.
        await _lab.Logs.WaitForEventIdAsync(4001, logged + 4);
        using var response = await status.GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var after = PrometheusText.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(3, Delta("edgeproxy_requests_total", ("route", "dr"), ("status", "200")));
        Assert.Equal(1, Delta("edgeproxy_requests_total", ("route", "dr"), ("status", "403")));
        Assert.Equal(1, Delta("edgeproxy_refusals_total", ("reason", "ClientNotAllowed")));
        Assert.Equal(3, Delta("edgeproxy_upstream_duration_seconds_count", ("route", "dr"), ("node", "publisher")));
        Assert.Equal(4, Delta("edgeproxy_request_duration_seconds_count", ("route", "dr")));
        Assert.Contains(after, s => s.Name == "edgeproxy_requests_in_flight" && s.Value == 0);
        Assert.Equal(1, PrometheusText.Value(after, "edgeproxy_config_info", ("version", _lab.State.Current.Version)));
        Assert.Contains(after, s => s.Name.StartsWith("microsoft_aspnetcore_server_kestrel_kestrel_active_connections", StringComparison.Ordinal));
        // Node connections come from EdgeProxy's own gauge, not HttpClient's per-request instrument through the adapter.
        Assert.True(PrometheusText.Value(after, "edgeproxy_upstream_connections", ("state", "idle")) +
            PrometheusText.Value(after, "edgeproxy_upstream_connections", ("state", "active")) >= 1, "no open node connection in edgeproxy_upstream_connections");
        Assert.DoesNotContain(after, s => s.Name.Contains("open_connections", StringComparison.Ordinal));

        double Delta(string name, params (string, string)[] labels) => PrometheusText.Value(after, name, labels) - PrometheusText.Value(before, name, labels);
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/reverseproxy_status")]
    [InlineData("/readyz")]
    [InlineData("/healthz")]
    [InlineData("/")]
    public async Task PublicPort_DoesNotServeOperatorEndpoints(string path)
    {
        using var client = EdgeClient.Create(_lab.PublicUri, "127.0.0.2");

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("edgeproxy_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
