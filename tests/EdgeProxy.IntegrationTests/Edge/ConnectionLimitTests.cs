using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using CloudConnectSimulator;
using EdgeProxy.IntegrationTests.Infrastructure;
using EdgeProxy.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeProxy.IntegrationTests.Edge;

public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task FiftyFirstConnection_FromOneAddress_IsRefused_WhileAnotherAddressIsServed()
    {
        await using var lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.Add("NGX_CLOUDCONNECT_CLIENT_IPS=127.0.0.0/24"));
        var open = new List<SslStream>();
        try
        {
            for (var i = 0; i < 50; i++)
            {
                var connection = await RawHttps.ConnectAsync(lab.PublicUri, "127.0.0.2");
                open.Add(connection);
                Assert.Equal(200, await RawHttps.SendOnAsync(connection, "/drapi/v1/ping", [], close: false));
            }

            // The 51st is closed before the TLS handshake (seen as EOF or as a reset, depending on timing).
            AssertConnectionClosed(await Record.ExceptionAsync(() => RawHttps.ConnectAsync(lab.PublicUri, "127.0.0.2")));
            Assert.Equal(200, await RawHttps.SendAsync(lab.PublicUri, "127.0.0.4", "/drapi/v1/ping", []));
            var refusal = Assert.Single(lab.Logs.WithEventId(3102));
            Assert.Equal("127.0.0.2", InMemorySink.Property(refusal, "Peer"));

            // Closing one frees its slot.
            await open[0].DisposeAsync();
            open.RemoveAt(0);
            Assert.True(await Eventually.TrueAsync(async () =>
            {
                try
                {
                    await using var again = await RawHttps.ConnectAsync(lab.PublicUri, "127.0.0.2");
                    return await RawHttps.SendOnAsync(again, "/drapi/v1/ping", [], close: true) == 200;
                }
                catch (Exception ex) when (ex is IOException or SocketException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(5)));
        }
        finally
        {
            foreach (var connection in open)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData(null, 503)]
    [InlineData("429", 429)]
    public async Task Http2StreamsOverTheLimit_AreAnsweredTheConnStatus_AndNeverReachTheNode(string? configured, int expected)
    {
        await using var lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.AddRange(
        [
            "NGX_CLOUDCONNECT_CLIENT_IPS=127.0.0.0/24", "NGX_CLOUDCONNECT_HTTP2_CONN_LIMIT=2", .. configured is null ? Array.Empty<string>() : [$"NGX_LIMIT_CONN_STATUS={configured}"],
        ]));
        lab.Publisher.Delay = TimeSpan.FromSeconds(2);
        using var client = lab.CreateClient("127.0.0.2", HttpVersion.Version20);

        var requests = Enumerable.Range(0, 3).Select(i => client.GetAsync($"/drapi/v1/ping?n={i}")).ToList();
        var refused = await Task.WhenAny(requests);
        using (var refusal = await refused)
        {
            // Answered while two streams are held by the slow node, so it never reached it.
            Assert.Equal(expected, (int)refusal.StatusCode);
            Assert.Contains("stream_limited", await refusal.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.True(ProxyHarness.Proxied(lab.Publisher).Count <= 2);
        }

        lab.Publisher.Delay = TimeSpan.Zero;
        foreach (var request in requests.Where(r => r != refused))
        {
            using var response = await request;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(2, ProxyHarness.Proxied(lab.Publisher).Count);
        var logged = Assert.Single(lab.Logs.WithEventId(3103));
        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), InMemorySink.Property(logged, "Status"));
    }

    [Fact]
    public async Task Http2StreamsOverTheLimitInDryRun_AllForwarded_WouldBeRefusalLoggedAndCounted()
    {
        await using var lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.AddRange(
            ["NGX_CLOUDCONNECT_CLIENT_IPS=127.0.0.0/24", "NGX_CLOUDCONNECT_HTTP2_CONN_LIMIT=2", "NGX_LIMIT_CONN_DRY_RUN=on"]));
        var metrics = lab.App.Services.GetRequiredService<EdgeMetrics>();
        lab.Publisher.Delay = TimeSpan.FromSeconds(1);
        using var client = lab.CreateClient("127.0.0.2", HttpVersion.Version20);

        // All three are held by the slow node at once: the third is over the limit the whole time.
        var requests = Enumerable.Range(0, 3).Select(i => client.GetAsync($"/drapi/v1/ping?n={i}")).ToList();
        Assert.True(await Eventually.TrueAsync(() => ProxyHarness.Proxied(lab.Publisher).Count == 3, TimeSpan.FromSeconds(5)));
        foreach (var request in requests)
        {
            using var response = await request;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var wouldRefuse = Assert.Single(lab.Logs.WithEventId(3108));
        Assert.Equal("127.0.0.2", InMemorySink.Property(wouldRefuse, "Client"));
        Assert.Empty(lab.Logs.WithEventId(3103));
        Assert.Equal(1, metrics.DryRunRefusals.WithLabels("StreamLimit").Value);
    }

    [Fact]
    public async Task ConnectionsOverTheLimitInDryRun_AllServed_WouldBeRefusalLoggedAndCounted()
    {
        await using var lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.AddRange(
            ["NGX_CLOUDCONNECT_CLIENT_IPS=127.0.0.0/24", "NGX_CLOUDCONNECT_HTTP1_CONN_LIMIT=2", "NGX_LIMIT_CONN_DRY_RUN=on"]));
        var metrics = lab.App.Services.GetRequiredService<EdgeMetrics>();
        var open = new List<SslStream>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var connection = await RawHttps.ConnectAsync(lab.PublicUri, "127.0.0.2");
                open.Add(connection);
                Assert.Equal(200, await RawHttps.SendOnAsync(connection, "/drapi/v1/ping", [], close: false));
            }

            Assert.Equal(3, ProxyHarness.Proxied(lab.Publisher).Count);
            var wouldRefuse = Assert.Single(lab.Logs.WithEventId(3107));
            Assert.Equal("127.0.0.2", InMemorySink.Property(wouldRefuse, "Peer"));
            Assert.Equal("2", InMemorySink.Property(wouldRefuse, "Open"));
            Assert.Empty(lab.Logs.WithEventId(3102));
            Assert.Equal(1, metrics.DryRunRefusals.WithLabels("ConnectionLimit").Value);
            Assert.Equal(0, metrics.Refusals.WithLabels("ConnectionLimit").Value);
        }
        finally
        {
            foreach (var connection in open)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task KeepaliveRequests_ClosesTheConnectionAfterTheNthResponse()
    {
        await using var lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.Add("NGX_KEEPALIVE_REQUESTS=3"));
        await using var connection = await RawHttps.ConnectAsync(lab.PublicUri, "127.0.0.1");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, await RawHttps.SendOnAsync(connection, "/drapi/v1/ping", [], close: false));
        }

        // The third response said Connection: close; the server has closed the connection.
        AssertConnectionClosed(await Record.ExceptionAsync(() => RawHttps.SendOnAsync(connection, "/drapi/v1/ping", [], close: false)));
    }

    private static void AssertConnectionClosed(Exception? exception) =>
        Assert.True(exception is IOException or SocketException, $"expected the connection to be closed, got {exception?.GetType().Name ?? "no exception"}");
}
