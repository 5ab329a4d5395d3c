using System.Net;
using System.Text.Json;
using EdgeProxy.IntegrationTests.Infrastructure;
using EdgeProxy.Upstreams;

namespace EdgeProxy.IntegrationTests.Upstreams;

public sealed class MutualTlsTests
{
    [Fact]
    public async Task NodeCertificateFromAnotherCa_NodeNeverHealthy_Returns503WithReason_LogsRejection_AndSendsNothing()
    {
        await using var lab = await ProxyHarness.StartAsync(o =>
        {
            o.PublisherCertificate = RepoPaths.SampleCert("rogue-publisher.crt");
            o.PublisherKey = RepoPaths.SampleCert("rogue-publisher.key");
        });
        using var client = lab.CreateClient();

        using var response = await client.PostAsync("/drapi/v1/tasks", new StringContent("{\"mediaType\":\"chat\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        // The client learns the cause, not the TLS detail: that is in the log (below) and on the status listener.
        Assert.Equal("no Cloud Connect node is running Digital Routing now", await ReasonAsync(response));
        Assert.Contains("TLS with the node failed", lab.Tracker.Snapshot.Publisher.Detail, StringComparison.Ordinal);
        Assert.Equal(NodeHealth.Unhealthy, lab.Tracker.Snapshot.Publisher.Health);
        var rejection = Assert.Single(lab.Logs.WithEventId(2001).DistinctBy(e => InMemorySink.Property(e, "Reason")));
        Assert.Contains("Rogue CA", InMemorySink.Property(rejection, "Reason"), StringComparison.Ordinal);
        Assert.Contains("is not trusted by NGX_PRXY_SSL_TRUST_CRT", InMemorySink.Property(rejection, "Reason"), StringComparison.Ordinal);
        Assert.Empty(lab.Publisher.Requests);
    }

    [Fact]
    public async Task NodeCertificateNotNamingTheNodeAddress_NodeNeverHealthy_AndSendsNothing()
    {
        // The publisher's certificate names 127.0.0.11; the node is reached at 127.0.0.13.
        await using var lab = await ProxyHarness.StartAsync(o => o.PublisherListenAddress = "127.0.0.13");
        using var client = lab.CreateClient();

        using var response = await client.GetAsync("/drapi/v1/ping");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains(lab.Logs.WithEventId(2001), e => InMemorySink.Property(e, "Reason").Contains("does not name 127.0.0.13", StringComparison.Ordinal));
        Assert.Equal(NodeHealth.Unhealthy, lab.Tracker.Snapshot.Publisher.Health);
        Assert.Empty(lab.Publisher.Requests);
    }

    [Fact]
    public async Task NodeNotTrustingTheProxyClientCertificate_RefusesIt_AndNoNodeBecomesActive()
    {
        // The nodes accept only client certificates from the rogue CA, so the proxy's certificate is refused.
        await using var lab = await ProxyHarness.StartAsync(o => o.NodeClientCaPath = RepoPaths.SampleCert("rogue-ca.crt"));
        using var client = lab.CreateClient();

        using var response = await client.GetAsync("/drapi/v1/ping");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Null(lab.Tracker.Snapshot.Active);
        Assert.True(lab.Publisher.ConnectionsRejected > 0);
        Assert.Empty(lab.Publisher.Requests);
    }

    [Fact]
    public async Task StoppedPublisher_StandbySubscriber_Returns503WithReason_Quickly()
    {
        // No wait for an active node (SwitchOverTests cover the wait): the 503 must not wait for the probe timeout.
        await using var lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.Add("EDGEPROXY_ACTIVE_NODE_WAIT=0"));
        await lab.Publisher.StopAsync();
        using var client = lab.CreateClient();

        var started = TimeProvider.System.GetTimestamp();
        using var response = await client.GetAsync("/drapi/v1/tasks?from=0");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(2.5)); // well under the 5 s probe timeout
        Assert.Equal("no Cloud Connect node is running Digital Routing now", await ReasonAsync(response));
        Assert.Contains(lab.Logs.WithEventId(2105), e => InMemorySink.Property(e, "Reason").Contains("ConnectionRefused", StringComparison.Ordinal));
    }

    private static async Task<string> ReasonAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("reason").GetString() ?? "";
    }
}
