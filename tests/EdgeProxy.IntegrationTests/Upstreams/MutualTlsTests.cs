using System.Net;
using EdgeProxy.IntegrationTests.Infrastructure;

namespace EdgeProxy.IntegrationTests.Upstreams;

public sealed class MutualTlsTests
{
    [Fact]
    public async Task NodeCertificateFromAnotherCa_Returns502_LogsRejection_AndSendsNothing()
    {
        await using var lab = await ProxyHarness.StartAsync(o =>
        {
            o.PublisherCertificate = RepoPaths.SampleCert("rogue-publisher.crt");
            o.PublisherKey = RepoPaths.SampleCert("rogue-publisher.key");
        });
        using var client = lab.CreateClient();

        using var response = await client.PostAsync("/drapi/v1/tasks", new StringContent("{\"mediaType\":\"chat\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("TLS with the node failed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var rejection = Assert.Single(lab.Logs.WithEventId(2001));
        Assert.Contains("Rogue CA", InMemorySink.Property(rejection, "Reason"), StringComparison.Ordinal);
        Assert.Contains("is not trusted by NGX_PRXY_SSL_TRUST_CRT", InMemorySink.Property(rejection, "Reason"), StringComparison.Ordinal);
        Assert.Empty(lab.Publisher.Requests);
    }

    [Fact]
    public async Task NodeCertificateNotNamingTheNodeAddress_Returns502_AndSendsNothing()
    {
        // The publisher's certificate names 127.0.0.11; the node is reached at 127.0.0.13.
        await using var lab = await ProxyHarness.StartAsync(o => o.PublisherListenAddress = "127.0.0.13");
        using var client = lab.CreateClient();

        using var response = await client.GetAsync("/drapi/v1/ping");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var rejection = Assert.Single(lab.Logs.WithEventId(2001));
        Assert.Contains("does not name 127.0.0.13", InMemorySink.Property(rejection, "Reason"), StringComparison.Ordinal);
        Assert.Empty(lab.Publisher.Requests);
    }

    [Fact]
    public async Task NodeNotTrustingTheProxyClientCertificate_RefusesIt_AndProxyAnswers502()
    {
        // The nodes accept only client certificates from the rogue CA, so the proxy's certificate is refused.
        await using var lab = await ProxyHarness.StartAsync(o => o.NodeClientCaPath = RepoPaths.SampleCert("rogue-ca.crt"));
        using var client = lab.CreateClient();

        using var response = await client.GetAsync("/drapi/v1/ping");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.True(lab.Publisher.ConnectionsRejected > 0);
        Assert.Empty(lab.Publisher.Requests);
    }

    [Fact]
    public async Task DeadPublisher_Returns502WithReason_Quickly()
    {
        await using var lab = await ProxyHarness.StartAsync();
        await lab.Publisher.StopAsync();
        using var client = lab.CreateClient();

        using var response = await client.GetAsync("/drapi/v1/tasks?from=0");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("cannot connect to the node", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(lab.Logs.WithEventId(2002), e => InMemorySink.Property(e, "Reason").Contains("ConnectionRefused", StringComparison.Ordinal));
    }
}
