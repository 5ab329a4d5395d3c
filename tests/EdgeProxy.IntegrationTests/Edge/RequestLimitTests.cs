using System.Diagnostics;
using System.Net;
using System.Text;
using EdgeProxy.IntegrationTests.Infrastructure;

namespace EdgeProxy.IntegrationTests.Edge;

public sealed class RequestLimitTests
{
    [Fact]
    public async Task SlowHeaders_OneByteASecond_AreCutOffAtTheHeaderTimeout()
    {
        await using var lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.Add("NGX_CLIENT_HEADER_TIMEOUT=2s"));
        await using var connection = await RawHttps.ConnectAsync(lab.PublicUri, "127.0.0.1");
        var request = Encoding.ASCII.GetBytes("GET /drapi/v1/ping HTTP/1.1\r\nHost: edgeproxy.lab.local\r\nX-Slow: " + new string('a', 60));
        var clock = Stopwatch.StartNew();

        var closed = false;
        try
        {
            foreach (var b in request)
            {
                await connection.WriteAsync(new[] { b });
                await Task.Delay(TimeSpan.FromSeconds(1));
                if (clock.Elapsed > TimeSpan.FromSeconds(20))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            closed = true;
        }

        if (!closed)
        {
            // The server may have answered 408 and closed; reading shows it.
            var buffer = new byte[512];
            closed = await connection.ReadAsync(buffer) >= 0;
        }

        Assert.True(closed);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
        Assert.Empty(ProxyHarness.Proxied(lab.Publisher));
    }

    [Fact]
    public async Task OversizeBody_Gets413_AndTheNodeSeesNothing()
    {
        await using var lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.Add("NGX_CLIENT_MAX_BODY_SIZE=1k"));
        using var client = lab.CreateClient();

        using var response = await client.PostAsync("/drapi/v1/tasks", new StringContent(new string('x', 2048), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(ProxyHarness.Proxied(lab.Publisher));
    }

    [Fact]
    public async Task BodyAtTheLimit_IsForwarded()
    {
        await using var lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.Add("NGX_CLIENT_MAX_BODY_SIZE=1k"));
        using var client = lab.CreateClient();

        using var response = await client.PostAsync("/dataconn/v1/callback", new StringContent(new string('x', 1024), Encoding.ASCII, "text/plain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1024, Assert.Single(lab.Publisher.DataConnCallbacks).Body?.Length);
    }

    [Fact]
    public async Task OversizeHeader_Gets431_AndTheNodeSeesNothing()
    {
        await using var lab = await ProxyHarness.StartAsync();

        var status = await RawHttps.SendAsync(lab.PublicUri, "127.0.0.1", "/drapi/v1/ping", [("X-Big", new string('a', 40 * 1024))]);

        Assert.Equal(431, status);
        Assert.Empty(ProxyHarness.Proxied(lab.Publisher));
    }
}
