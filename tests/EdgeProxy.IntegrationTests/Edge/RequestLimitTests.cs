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
        // About 100 bytes at one a second, and never the blank line that ends the headers: only the timeout can end this.
        var request = Encoding.ASCII.GetBytes("GET /drapi/v1/ping HTTP/1.1\r\nHost: edgeproxy.lab.local\r\nX-Slow: " + new string('a', 60));
        var clock = Stopwatch.StartNew();
        using var stopSending = new CancellationTokenSource();

        var closing = ReadUntilClosedAsync(connection);
        var sending = SendSlowlyAsync(connection, request, stopSending.Token);
        var received = await closing.WaitAsync(TimeSpan.FromSeconds(15));
        var elapsed = clock.Elapsed;
        await stopSending.CancelAsync();
        await sending;

        Assert.InRange(elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
        if (received.Length > 0)
        {
            Assert.StartsWith("HTTP/1.1 408 ", Encoding.ASCII.GetString(received), StringComparison.Ordinal);
        }

        Assert.Empty(ProxyHarness.Proxied(lab.Publisher));
    }

    /// <summary>Everything the server sends until it closes the connection (EOF or reset).</summary>
    private static async Task<byte[]> ReadUntilClosedAsync(Stream connection)
    {
        var received = new MemoryStream();
        var buffer = new byte[512];
        try
        {
            int read;
            while ((read = await connection.ReadAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // A reset is a close too.
        }

        return received.ToArray();
    }

    /// <summary>A slowloris client: one byte a second until told to stop or the server closes the connection.</summary>
    private static async Task SendSlowlyAsync(Stream connection, byte[] request, CancellationToken stop)
    {
        try
        {
            foreach (var b in request)
            {
                await connection.WriteAsync(new[] { b }, stop);
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // Stopped because the server closed the connection: the outcome under test, asserted by the caller.
        }
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
