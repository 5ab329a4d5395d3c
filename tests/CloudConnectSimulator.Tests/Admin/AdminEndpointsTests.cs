using System.Net;
using System.Net.Http.Json;

namespace CloudConnectSimulator.Tests.Admin;

public sealed class AdminEndpointsTests
{
    [Fact]
    public async Task State_AfterTraffic_ReportsNameModeDelayTasksAndRequests()
    {
        await using var sim = await SimulatorHarness.StartAsync(o => o.Delay = TimeSpan.FromMilliseconds(5));
        using (await sim.CreateClient().PostAsJsonAsync("/drapi/v1/tasks", new { mediaType = "chat" }))
        {
        }

        using var response = await sim.CreateAdminClient().GetAsync("/admin/state");

        var state = await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("publisher", state.GetProperty("name").GetString());
        Assert.Equal("active", state.GetProperty("mode").GetString());
        Assert.Equal(5, state.GetProperty("delayMs").GetInt64());
        Assert.Equal(1, state.GetProperty("openTasks").GetInt32());
        Assert.Equal(1, state.GetProperty("requests").GetInt32());
    }

    [Theory]
    [InlineData("active", NodeMode.Active)]
    [InlineData("standby", NodeMode.Standby)]
    [InlineData("dead", NodeMode.Dead)]
    [InlineData("Standby", NodeMode.Standby)]
    public async Task Mode_KnownName_Switches(string name, NodeMode expected)
    {
        await using var sim = await SimulatorHarness.StartAsync(o => o.InitialMode = NodeMode.Standby == expected ? NodeMode.Active : NodeMode.Standby);

        using var response = await sim.CreateAdminClient().PostAsync($"/admin/mode/{name}", content: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, sim.Node.Mode);
    }

    [Fact]
    public async Task Mode_UnknownName_Returns400AndKeepsMode()
    {
        await using var sim = await SimulatorHarness.StartAsync();

        using var response = await sim.CreateAdminClient().PostAsync("/admin/mode/sleepy", content: null);

        var error = await HttpAssert.JsonAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("sleepy", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(NodeMode.Active, sim.Node.Mode);
    }

    [Theory]
    [InlineData("/admin/delay")]
    [InlineData("/admin/delay?ms=-5")]
    [InlineData("/admin/delay?ms=soon")]
    public async Task Delay_BadValue_Returns400(string url)
    {
        await using var sim = await SimulatorHarness.StartAsync();

        using var response = await sim.CreateAdminClient().PostAsync(url, content: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(TimeSpan.Zero, sim.Node.Delay);
    }

    [Fact]
    public async Task RequestsAndDataConn_AfterCallback_ListRecordedRequests()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var client = sim.CreateClient();
        using (await client.GetAsync("/drapi/v1/ping"))
        using (await client.PostAsync("/dataconn/users", new StringContent("payload")))
        {
        }

        var admin = sim.CreateAdminClient();
        using var requests = await admin.GetAsync("/admin/requests");
        using var dataConn = await admin.GetAsync("/admin/dataconn");

        var all = await HttpAssert.JsonAsync(requests, HttpStatusCode.OK);
        var callbacks = await HttpAssert.JsonAsync(dataConn, HttpStatusCode.OK);
        Assert.Equal(["/drapi/v1/ping", "/dataconn/users"], all.EnumerateArray().Select(r => r.GetProperty("path").GetString()));
        var callback = Assert.Single(callbacks.EnumerateArray());
        Assert.Equal("payload", callback.GetProperty("body").GetString());
        Assert.Equal("POST", callback.GetProperty("method").GetString());
    }

    [Fact]
    public async Task Reset_AfterTraffic_ClearsRecordsAndTasks()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var client = sim.CreateClient();
        using (await client.PostAsJsonAsync("/drapi/v1/tasks", new { mediaType = "chat" }))
        {
        }

        using var response = await sim.CreateAdminClient().PostAsync("/admin/reset", content: null);

        var state = await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(0, state.GetProperty("openTasks").GetInt32());
        Assert.Equal(0, state.GetProperty("requests").GetInt32());
        Assert.Empty(sim.Node.Requests);
    }

    [Fact]
    public async Task AdminRequests_NotRecordedAsHttpsTraffic()
    {
        await using var sim = await SimulatorHarness.StartAsync();

        using (await sim.CreateAdminClient().GetAsync("/admin/state"))
        {
        }

        Assert.Empty(sim.Node.Requests);
    }
}
