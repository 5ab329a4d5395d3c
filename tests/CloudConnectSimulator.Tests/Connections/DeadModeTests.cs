using System.Net;

namespace CloudConnectSimulator.Tests.Connections;

public sealed class DeadModeTests
{
    [Fact]
    public async Task Ping_Dead_ConnectionDroppedThenActiveWorksAgain()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        sim.Node.Mode = NodeMode.Dead;

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => sim.CreateClient().GetAsync("/drapi/v1/ping"));

        Assert.False(HttpAssert.IsConnectionRefused(ex), "a dead node accepts and drops connections; refusing is StopAsync's job");
        Assert.Empty(sim.Node.Requests);
        Assert.Equal(sim.ConnectionsOpened, sim.Node.ConnectionsRejected);

        sim.Node.Mode = NodeMode.Active;
        using var response = await sim.CreateClient().GetAsync("/drapi/v1/ping");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ping_KeepAliveConnectionWhenNodeDies_Fails()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var client = sim.CreateClient();
        using (var first = await client.GetAsync("/drapi/v1/ping"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        sim.Node.Mode = NodeMode.Dead;

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/drapi/v1/ping"));
        Assert.Single(sim.Node.Requests);
    }

    [Fact]
    public async Task Ping_Http2ConnectionWhenNodeDies_Fails()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var client = sim.CreateClient();
        client.DefaultRequestVersion = HttpVersion.Version20;
        client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        using (var first = await client.GetAsync("/drapi/v1/ping"))
        {
            Assert.Equal(HttpVersion.Version20, first.Version);
        }

        sim.Node.Mode = NodeMode.Dead;

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/drapi/v1/ping"));
        Assert.Single(sim.Node.Requests);
    }

    [Fact]
    public async Task Ping_DeadSetThroughAdminPort_ConnectionDropped()
    {
        await using var sim = await SimulatorHarness.StartAsync();

        using (var switched = await sim.CreateAdminClient().PostAsync("/admin/mode/dead", content: null))
        {
            Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
        }

        // The reset usually surfaces as HttpRequestException; when it lands before HttpClient reads the socket's
        // remote address, SocketsHttpHandler lets the bare SocketException (ENOTCONN) through (seen once in CI).
        var failure = await Record.ExceptionAsync(() => sim.CreateClient().GetAsync("/drapi/v1/ping"));
        Assert.True(failure is HttpRequestException or System.Net.Sockets.SocketException, $"expected the connection to fail, got {failure?.ToString() ?? "an answer"}");
        Assert.True(sim.Node.ConnectionsRejected > 0);
    }

    [Fact]
    public async Task StopAsync_Running_ConnectionsRefused()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var client = sim.CreateClient();
        using (await client.GetAsync("/drapi/v1/ping"))
        {
        }

        await sim.Node.StopAsync();

        await AssertBothListenersRefuseAsync(sim);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/drapi/v1/ping"));
    }

    [Fact]
    public async Task StopAsync_CalledTwice_SecondIsNoOp()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var first = sim.Node.StopAsync();
        await first.WaitAsync(TimeSpan.FromSeconds(10));

        var second = sim.Node.StopAsync();

        // The same, already finished stop: nothing is stopped again and the caller does not wait.
        Assert.Same(first, second);
        Assert.True(second.IsCompletedSuccessfully);
        await AssertBothListenersRefuseAsync(sim);
    }

    private static async Task AssertBothListenersRefuseAsync(SimulatorHarness sim)
    {
        var https = await Assert.ThrowsAsync<HttpRequestException>(() => sim.CreateClient().GetAsync("/drapi/v1/ping"));
        var admin = await Assert.ThrowsAsync<HttpRequestException>(() => sim.CreateAdminClient().GetAsync("/admin/state"));
        Assert.True(HttpAssert.IsConnectionRefused(https), https.ToString());
        Assert.True(HttpAssert.IsConnectionRefused(admin), admin.ToString());
    }
}
