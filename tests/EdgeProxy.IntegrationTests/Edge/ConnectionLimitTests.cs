using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using CloudConnectSimulator;
using EdgeProxy.IntegrationTests.Infrastructure;

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

    [Fact]
    public async Task Http2StreamsOverTheLimit_AreReset_AndNeverReachTheNode()
    {
        await using var lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.AddRange(["NGX_CLOUDCONNECT_CLIENT_IPS=127.0.0.0/24", "NGX_CLOUDCONNECT_HTTP2_CONN_LIMIT=2"]));
        lab.Publisher.Delay = TimeSpan.FromSeconds(2);
        using var client = lab.CreateClient("127.0.0.2", HttpVersion.Version20);

        var requests = Enumerable.Range(0, 3).Select(i => client.GetAsync($"/drapi/v1/ping?n={i}")).ToList();
        var refused = await Eventually.TrueAsync(() => lab.Logs.WithEventId(3103).Any() && ProxyHarness.Proxied(lab.Publisher).Count >= 2, TimeSpan.FromSeconds(5));

        Assert.True(refused);
        // While two streams are held by the slow node, the third never reached it.
        Assert.Equal(2, ProxyHarness.Proxied(lab.Publisher).Count);
        lab.Publisher.Delay = TimeSpan.Zero;
        await Task.WhenAll(requests.Select(async r =>
        {
            try
            {
                using var response = await r;
            }
            catch (HttpRequestException)
            {
                // The refused stream may surface as an error after the client's own retries.
            }
        }));
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
