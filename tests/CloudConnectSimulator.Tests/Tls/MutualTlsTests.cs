using System.Net;
using EdgeProxy.Testing;

namespace CloudConnectSimulator.Tests.Tls;

public sealed class MutualTlsTests
{
    [Fact]
    public async Task Ping_TrustedClientCertificate_AnswersActiveAndRecordsSubject()
    {
        await using var sim = await SimulatorHarness.StartAsync();

        using var response = await sim.CreateClient().GetAsync("/drapi/v1/ping");

        var body = await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("active", body.GetProperty("status").GetString());
        Assert.Equal("publisher", body.GetProperty("node").GetString());
        var recorded = Assert.Single(sim.Node.Requests);
        Assert.Equal("CN=edgeproxy.test", recorded.ClientCertificateSubject);
        Assert.Equal(0, sim.Node.ConnectionsRejected);
    }

    [Fact]
    public async Task Ping_NoClientCertificate_HandshakeRefusedAndNothingRecorded()
    {
        await using var sim = await SimulatorHarness.StartAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => sim.CreateClient(clientCertificate: null).GetAsync("/drapi/v1/ping"));

        Assert.Empty(sim.Node.Requests);
        AssertEveryConnectionRejected(sim);
    }

    [Fact]
    public async Task Ping_ClientCertificateFromOtherCa_HandshakeRefusedAndNothingRecorded()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        using var otherPki = TestPki.Create("Some Other CA");
        var foreign = otherPki.Issue("edgeproxy.test", serverAuth: false);

        await Assert.ThrowsAsync<HttpRequestException>(() => sim.CreateClient(foreign.Certificate).GetAsync("/drapi/v1/ping"));

        Assert.Empty(sim.Node.Requests);
        AssertEveryConnectionRejected(sim);
    }

    [Fact]
    public async Task Ping_ClientCertificateWithoutClientAuthUsage_HandshakeRefused()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var serverOnly = sim.Pki.Issue("server-only.test", serverAuth: true, clientAuth: false);

        await Assert.ThrowsAsync<HttpRequestException>(() => sim.CreateClient(serverOnly.Certificate).GetAsync("/drapi/v1/ping"));

        Assert.Empty(sim.Node.Requests);
        AssertEveryConnectionRejected(sim);
    }

    [Fact]
    public async Task Ping_ExpiredClientCertificate_HandshakeRefused()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var expired = sim.Pki.Issue("expired.test", serverAuth: false, notBefore: now.AddDays(-30), notAfter: now.AddDays(-1));

        await Assert.ThrowsAsync<HttpRequestException>(() => sim.CreateClient(expired.Certificate).GetAsync("/drapi/v1/ping"));

        Assert.Empty(sim.Node.Requests);
        AssertEveryConnectionRejected(sim);
    }

    [Fact]
    public async Task Ping_RefusedThenTrustedClient_RejectionCountStaysPut()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        await Assert.ThrowsAsync<HttpRequestException>(() => sim.CreateClient(clientCertificate: null).GetAsync("/drapi/v1/ping"));
        var rejected = sim.Node.ConnectionsRejected;

        using var response = await sim.CreateClient().GetAsync("/drapi/v1/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(rejected > 0);
        Assert.Equal(rejected, sim.Node.ConnectionsRejected);
    }

    [Fact]
    public async Task Ping_ClientTrustingAnotherCa_RejectsNodeCertificate()
    {
        // Guards the harness itself: its clients really verify the node, so the other tests prove a verified connection.
        await using var sim = await SimulatorHarness.StartAsync();
        using var otherPki = TestPki.Create("Some Other CA");

        var client = sim.CreateClient(sim.ClientCertificate.Certificate, trustedCa: otherPki.CaCertificate);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/drapi/v1/ping"));
        Assert.Empty(sim.Node.Requests);
    }

    [Fact]
    public async Task StartAsync_KeyNotMatchingCertificate_ThrowsNamingTheFiles()
    {
        using var pki = TestPki.Create();
        var node = pki.Issue("node.test");
        var other = pki.Issue("other.test");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => SimulatorNode.StartAsync(new SimulatorOptions
        {
            CertificatePath = node.CertPath,
            KeyPath = other.KeyPath,
            ClientCaPath = pki.CaPath,
        }));

        Assert.Contains(node.CertPath, ex.Message, StringComparison.Ordinal);
        Assert.Contains(other.KeyPath, ex.Message, StringComparison.Ordinal);
    }

    // With TLS 1.3 the client learns of the refusal only after its handshake, and SocketsHttpHandler then
    // retries on new connections; each of them must have been refused and counted.
    private static void AssertEveryConnectionRejected(SimulatorHarness sim)
    {
        Assert.True(sim.ConnectionsOpened > 0);
        Assert.Equal(sim.ConnectionsOpened, sim.Node.ConnectionsRejected);
    }
}
