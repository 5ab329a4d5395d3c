using CloudConnectSimulator;
using EdgeProxy.IntegrationTests.Infrastructure;
using EdgeProxy.Upstreams;

namespace EdgeProxy.IntegrationTests.Operations;

/// <summary>The failover metrics the alert rules read (deploy/prometheus/edgeproxy-alerts.yml), driven by real simulator nodes.</summary>
public sealed class FailoverMetricsTests
{
    [Fact]
    public async Task Failover_ThenPublisherDead_ThenNoNode_MetricsFollowEachStep()
    {
        await using var lab = await ProxyHarness.StartAsync(o => o.HealthCheck(intervalMs: 200, timeoutMs: 1000, rise: 1, fall: 1));
        using var status = new HttpClient { BaseAddress = lab.StatusUri };
        await lab.WaitForAsync(s => s.Active == NodeRole.Publisher, "the publisher active");
        var start = await MetricsAsync();
        Assert.Equal(1, Value(start, "edgeproxy_ready"));
        Assert.Equal(0, Value(start, "edgeproxy_active_node_changes_total"));
        Assert.Equal(1, Value(start, "edgeproxy_node_reachable", ("node", "publisher")));

        lab.Subscriber.Mode = NodeMode.Active;
        // Both healthy first, so the active node moves in one step (never through "none").
        await lab.WaitForAsync(s => s.Subscriber.Health == NodeHealth.Healthy, "the subscriber healthy");
        lab.Publisher.Mode = NodeMode.Standby;
        await lab.WaitForAsync(s => s.Active == NodeRole.Subscriber, "the subscriber active");
        var failedOver = await MetricsAsync();
        Assert.Equal(1, Value(failedOver, "edgeproxy_active_node_changes_total"));
        Assert.Equal(1, Value(failedOver, "edgeproxy_node_health_changes_total", ("node", "publisher")) - Value(start, "edgeproxy_node_health_changes_total", ("node", "publisher")));
        // A standby publisher is unhealthy for Digital Routing but still reachable: DataConn still flows.
        Assert.Equal(1, Value(failedOver, "edgeproxy_node_reachable", ("node", "publisher")));

        lab.Publisher.Mode = NodeMode.Dead;
        lab.Subscriber.Mode = NodeMode.Standby;
        await lab.WaitForAsync(s => s.Active is null && s.Publisher.Reachable == false, "no active node, publisher unreachable");
        var none = await MetricsAsync();
        Assert.Equal(0, Value(none, "edgeproxy_ready"));
        Assert.Equal(0, Value(none, "edgeproxy_active_node"));
        Assert.Equal(0, Value(none, "edgeproxy_node_reachable", ("node", "publisher")));
        Assert.Equal(2, Value(none, "edgeproxy_active_node_changes_total"));
        using var readyz = await status.GetAsync("/readyz");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, readyz.StatusCode);

        async Task<IReadOnlyList<PrometheusText.Sample>> MetricsAsync() => PrometheusText.Parse(await status.GetStringAsync("/metrics"));
    }

    private static double Value(IReadOnlyList<PrometheusText.Sample> samples, string name, params (string, string)[] labels) =>
        PrometheusText.Value(samples, name, labels);
}
