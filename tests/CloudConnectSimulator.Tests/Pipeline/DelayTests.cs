using System.Diagnostics;
using System.Net;

namespace CloudConnectSimulator.Tests.Pipeline;

public sealed class DelayTests
{
    private static readonly TimeSpan Slow = TimeSpan.FromMilliseconds(300);

    // System timers may fire a few milliseconds early; a warm, undelayed ping takes about one.
    private static readonly TimeSpan AtLeast = Slow - TimeSpan.FromMilliseconds(25);

    [Fact]
    public async Task Ping_DelaySet_ResponseHeldBackAtLeastThatLong()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var client = sim.CreateClient();
        using (await client.GetAsync("/drapi/v1/ping"))
        {
            // warm the connection so the measurement is the delay, not the handshake
        }

        sim.Node.Delay = Slow;
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync("/drapi/v1/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Stopwatch.GetElapsedTime(started) >= AtLeast);
    }

    [Fact]
    public async Task Callback_DelaySetThroughAdminPort_AppliesToDataConnToo()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        using (var set = await sim.CreateAdminClient().PostAsync($"/admin/delay?ms={Slow.TotalMilliseconds}", content: null))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        var started = Stopwatch.GetTimestamp();
        using var response = await sim.CreateClient().PostAsync("/dataconn/x", new StringContent("y"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Stopwatch.GetElapsedTime(started) >= AtLeast);
        Assert.Equal(Slow, sim.Node.Delay);
    }
}
