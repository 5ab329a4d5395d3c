using System.Net;

namespace CloudConnectSimulator.Tests.Drapi;

public sealed class PingTests
{
    [Fact]
    public async Task Ping_StandbySetThroughApi_Answers503ThenActiveAgain()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var client = sim.CreateClient();

        sim.Node.Mode = NodeMode.Standby;
        using var standby = await client.GetAsync("/drapi/v1/ping");
        var body = await HttpAssert.JsonAsync(standby, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("standby", body.GetProperty("status").GetString());

        sim.Node.Mode = NodeMode.Active;
        using var active = await client.GetAsync("/drapi/v1/ping");
        Assert.Equal(HttpStatusCode.OK, active.StatusCode);
    }

    [Fact]
    public async Task Ping_StandbySetThroughAdminPort_Answers503()
    {
        await using var sim = await SimulatorHarness.StartAsync();

        using var switched = await sim.CreateAdminClient().PostAsync("/admin/mode/standby", content: null);
        var state = await HttpAssert.JsonAsync(switched, HttpStatusCode.OK);
        using var ping = await sim.CreateClient().GetAsync("/drapi/v1/ping");

        Assert.Equal("standby", state.GetProperty("mode").GetString());
        Assert.Equal(NodeMode.Standby, sim.Node.Mode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ping.StatusCode);
    }

    [Fact]
    public async Task StartAsync_InitialModeStandby_PingAnswers503()
    {
        await using var sim = await SimulatorHarness.StartAsync(o => o.InitialMode = NodeMode.Standby);

        using var ping = await sim.CreateClient().GetAsync("/drapi/v1/ping");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ping.StatusCode);
    }

    [Fact]
    public async Task Ping_Http2Requested_NegotiatedThroughAlpnAndRecorded()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/drapi/v1/ping")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await sim.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("HTTP/2", Assert.Single(sim.Node.Requests).Protocol);
    }

    [Fact]
    public async Task Ping_Http11_RecordedAsHttp11()
    {
        await using var sim = await SimulatorHarness.StartAsync();

        using var response = await sim.CreateClient().GetAsync("/drapi/v1/ping");

        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.Equal("HTTP/1.1", Assert.Single(sim.Node.Requests).Protocol);
    }

    [Theory]
    [InlineData("GET", "/drapi/v1/config/trace")]
    [InlineData("PUT", "/drapi/v1/config/trace/level")]
    [InlineData("GET", "/drapi/v1/status")]
    public async Task InternalEndpoint_Requested_AnswersAndIsRecorded(string method, string path)
    {
        await using var sim = await SimulatorHarness.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await sim.CreateClient().SendAsync(request);

        await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(path, Assert.Single(sim.Node.Requests).Path);
    }

    [Fact]
    public async Task UnknownPath_Requested_Answers404AndIsRecorded()
    {
        await using var sim = await SimulatorHarness.StartAsync();

        using var response = await sim.CreateClient().GetAsync("/cloudconnectmgmt/anything?x=1");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var recorded = Assert.Single(sim.Node.Requests);
        Assert.Equal("/cloudconnectmgmt/anything", recorded.Path);
        Assert.Equal("?x=1", recorded.QueryString);
    }
}
