using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace CloudConnectSimulator.Tests.Tasks;

public sealed class TaskApiTests
{
    [Fact]
    public async Task Create_ValidTask_Returns201WithLocationAndOpenTask()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var client = sim.CreateClient();

        using var response = await client.PostAsJsonAsync("/drapi/v1/tasks", new
        {
            mediaType = "chat",
            name = "Customer chat",
            tags = new[] { "vip" },
            variables = new { language = "en" },
        });

        var task = await HttpAssert.JsonAsync(response, HttpStatusCode.Created);
        var id = task.GetProperty("id").GetString();
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal($"/drapi/v1/tasks/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("chat", task.GetProperty("mediaType").GetString());
        Assert.Equal("open", task.GetProperty("state").GetString());
        Assert.Equal("Customer chat", task.GetProperty("name").GetString());
        Assert.Equal("vip", task.GetProperty("tags")[0].GetString());
        Assert.Equal("en", task.GetProperty("variables").GetProperty("language").GetString());
        Assert.True(task.GetProperty("createdAt").GetInt64() > 0);
        Assert.Equal(task.GetProperty("createdAt").GetInt64(), task.GetProperty("updatedAt").GetInt64());
        Assert.Equal(1, task.GetProperty("seq").GetInt64());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"name\":\"no media type\"}")]
    [InlineData("{\"mediaType\":\"\"}")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task Create_MissingOrBadMediaType_Returns400WithApiError(string body)
    {
        await using var sim = await SimulatorHarness.StartAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await sim.CreateClient().PostAsync("/drapi/v1/tasks", content);

        var error = await HttpAssert.JsonAsync(response, HttpStatusCode.BadRequest);
        Assert.NotEqual(20286, error.GetProperty("apiErrors")[0].GetProperty("errorCode").GetInt32());
    }

    [Fact]
    public async Task Create_QueueAtLimit_Returns400WithError20286UntilATaskCloses()
    {
        await using var sim = await SimulatorHarness.StartAsync(o => o.QueueLimits["chat"] = 2);
        var client = sim.CreateClient();
        var first = await CreateAsync(client, "chat");
        await CreateAsync(client, "CHAT"); // media types count case-insensitively

        using var refused = await client.PostAsJsonAsync("/drapi/v1/tasks", new { mediaType = "chat" });
        var error = await HttpAssert.JsonAsync(refused, HttpStatusCode.BadRequest);
        var apiError = error.GetProperty("apiErrors")[0];
        Assert.Equal(20286, apiError.GetProperty("errorCode").GetInt32());
        Assert.Equal("MEDIA_TYPE_QUEUE_LIMIT_EXCEEDED", apiError.GetProperty("errorMessage").GetString());
        Assert.False(string.IsNullOrEmpty(apiError.GetProperty("errorType").GetString()));

        await CreateAsync(client, "email"); // other queues are not affected
        using var closed = await client.PutAsync($"/drapi/v1/tasks/{first}/close", content: null);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        await CreateAsync(client, "chat");
    }

    [Fact]
    public async Task Get_ExistingAndUnknownTasks_Returns200Or404()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var client = sim.CreateClient();
        var id = await CreateAsync(client, "sms");

        using var found = await client.GetAsync($"/drapi/v1/tasks/{id}");
        using var unknown = await client.GetAsync($"/drapi/v1/tasks/{Guid.NewGuid()}");
        using var malformed = await client.GetAsync("/drapi/v1/tasks/not-a-guid");

        Assert.Equal(id, (await HttpAssert.JsonAsync(found, HttpStatusCode.OK)).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
    }

    [Fact]
    public async Task Close_OpenThenAgainThenUnknown_ClosesIdempotentlyAnd404()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var client = sim.CreateClient();
        var id = await CreateAsync(client, "social");

        using var first = await client.PutAsync($"/drapi/v1/tasks/{id}/close", content: null);
        var closed = await HttpAssert.JsonAsync(first, HttpStatusCode.OK);
        using var second = await client.PutAsync($"/drapi/v1/tasks/{id}/close", content: null);
        var again = await HttpAssert.JsonAsync(second, HttpStatusCode.OK);
        using var unknown = await client.PutAsync($"/drapi/v1/tasks/{Guid.NewGuid()}/close", content: null);

        Assert.Equal("closed", closed.GetProperty("state").GetString());
        Assert.True(closed.GetProperty("closedAt").GetInt64() > 0);
        Assert.Equal(2, closed.GetProperty("seq").GetInt64());
        Assert.Equal(closed.GetProperty("seq").GetInt64(), again.GetProperty("seq").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task List_FromCursor_ReturnsOnlyLaterChangesAndNextCursor()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var client = sim.CreateClient();
        var a = await CreateAsync(client, "chat");
        var b = await CreateAsync(client, "email");
        using (await client.PutAsync($"/drapi/v1/tasks/{a}/close", content: null))
        {
        }

        var all = await ListAsync(client, 0);
        var sinceFirst = await ListAsync(client, 1);
        var nothingNew = await ListAsync(client, 3);

        Assert.Equal([b, a], Ids(all));
        Assert.Equal(3, all.GetProperty("next").GetInt64());
        Assert.Equal([b, a], Ids(sinceFirst));
        Assert.Empty(Ids(nothingNew));
        Assert.Equal(3, nothingNew.GetProperty("next").GetInt64());
    }

    [Theory]
    [InlineData("/drapi/v1/tasks")]
    [InlineData("/drapi/v1/tasks?from=")]
    [InlineData("/drapi/v1/tasks?from=abc")]
    [InlineData("/drapi/v1/tasks?from=-1")]
    public async Task List_MissingOrBadFrom_Returns400(string url)
    {
        await using var sim = await SimulatorHarness.StartAsync();

        using var response = await sim.CreateClient().GetAsync(url);

        await HttpAssert.JsonAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Get_ClosedTaskPastRetention_Forgotten()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = await SimulatorHarness.StartAsync(o => o.TimeProvider = clock);
        var client = sim.CreateClient();
        var id = await CreateAsync(client, "chat");
        using (await client.PutAsync($"/drapi/v1/tasks/{id}/close", content: null))
        {
        }

        clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        using var kept = await client.GetAsync($"/drapi/v1/tasks/{id}");
        clock.Advance(TimeSpan.FromSeconds(1));
        using var forgotten = await client.GetAsync($"/drapi/v1/tasks/{id}");
        var list = await ListAsync(client, 0);

        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forgotten.StatusCode);
        Assert.Empty(Ids(list));
    }

    [Fact]
    public async Task Get_OpenTaskLongAfterCreation_StillThere()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = await SimulatorHarness.StartAsync(o => o.TimeProvider = clock);
        var client = sim.CreateClient();
        var id = await CreateAsync(client, "chat");

        clock.Advance(TimeSpan.FromHours(5));
        using var response = await client.GetAsync($"/drapi/v1/tasks/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TaskApi_Standby_Answers503()
    {
        await using var sim = await SimulatorHarness.StartAsync(o => o.InitialMode = NodeMode.Standby);
        var client = sim.CreateClient();

        using var create = await client.PostAsJsonAsync("/drapi/v1/tasks", new { mediaType = "chat" });
        using var list = await client.GetAsync("/drapi/v1/tasks?from=0");
        using var get = await client.GetAsync($"/drapi/v1/tasks/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, create.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, list.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, get.StatusCode);
    }

    private static async Task<string> CreateAsync(HttpClient client, string mediaType)
    {
        using var response = await client.PostAsJsonAsync("/drapi/v1/tasks", new { mediaType });
        var task = await HttpAssert.JsonAsync(response, HttpStatusCode.Created);
        return task.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> ListAsync(HttpClient client, long from)
    {
        using var response = await client.GetAsync($"/drapi/v1/tasks?from={from}");
        return await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
    }

    private static string[] Ids(JsonElement list) =>
        list.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToArray();
}
