using System.Net;
using System.Text;

namespace CloudConnectSimulator.Tests.DataConn;

public sealed class DataConnTests
{
    [Fact]
    public async Task Callback_Posted_RecordedWithBodyAndHeaders()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dataconn/v1/users/sync?batch=7")
        {
            Content = new StringContent("{\"users\":[\"agent1\"]}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("TrackingID", "abc-123");
        request.Headers.Add("X-Multi", ["one", "two"]);

        using var response = await sim.CreateClient().SendAsync(request);

        var body = await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.True(body.GetProperty("received").GetBoolean());
        var callback = Assert.Single(sim.Node.DataConnCallbacks);
        Assert.Equal("POST", callback.Method);
        Assert.Equal("/dataconn/v1/users/sync", callback.Path);
        Assert.Equal("?batch=7", callback.QueryString);
        Assert.Equal("{\"users\":[\"agent1\"]}", callback.Body);
        Assert.Equal("abc-123", callback.Headers["trackingid"]);
        Assert.Equal("one, two", callback.Headers["X-Multi"]);
        Assert.Equal("CN=edgeproxy.test", callback.ClientCertificateSubject);
        Assert.Same(callback, Assert.Single(sim.Node.Requests));
    }

    [Fact]
    public async Task Callback_Standby_StillAccepted()
    {
        await using var sim = await SimulatorHarness.StartAsync(o => o.InitialMode = NodeMode.Standby);

        using var response = await sim.CreateClient().PutAsync("/dataconn/v1/users", new StringContent("x"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("x", Assert.Single(sim.Node.DataConnCallbacks).Body);
    }

    [Fact]
    public async Task Callback_BodyOverOneMebibyte_KeepsFirstMebibyte()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var big = new string('a', (1024 * 1024) + 100);

        using var response = await sim.CreateClient().PostAsync("/dataconn/bulk", new StringContent(big));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1024 * 1024, Assert.Single(sim.Node.DataConnCallbacks).Body!.Length);
    }

    [Fact]
    public async Task Ping_NotDataConn_RecordedWithoutBody()
    {
        await using var sim = await SimulatorHarness.StartAsync();

        using var response = await sim.CreateClient().GetAsync("/drapi/v1/ping");

        Assert.Null(Assert.Single(sim.Node.Requests).Body);
        Assert.Empty(sim.Node.DataConnCallbacks);
    }

    [Fact]
    public async Task ClearRecords_AfterRequests_EmptiesBothLists()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        using (await sim.CreateClient().PostAsync("/dataconn/x", new StringContent("y")))
        {
        }

        sim.Node.ClearRecords();

        Assert.Empty(sim.Node.Requests);
        Assert.Empty(sim.Node.DataConnCallbacks);
    }
}
