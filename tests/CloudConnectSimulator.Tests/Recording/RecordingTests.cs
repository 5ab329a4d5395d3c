using Microsoft.Extensions.Time.Testing;

namespace CloudConnectSimulator.Tests.Recording;

public sealed class RecordingTests
{
    [Fact]
    public async Task Requests_SeveralInOrder_TimestampedWithInjectedClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var sim = await SimulatorHarness.StartAsync(o => o.TimeProvider = clock);
        var client = sim.CreateClient();

        using (await client.GetAsync("/drapi/v1/ping"))
        {
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        using (await client.GetAsync("/drapi/v1/status"))
        {
        }

        var requests = sim.Node.Requests;
        Assert.Equal(["/drapi/v1/ping", "/drapi/v1/status"], requests.Select(r => r.Path));
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), requests[0].Time);
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 5, 5, TimeSpan.Zero), requests[1].Time);
        Assert.All(requests, r => Assert.Equal("GET", r.Method));
        Assert.All(requests, r => Assert.StartsWith("127.0.0.1:", r.Headers["Host"], StringComparison.Ordinal));
    }
}
