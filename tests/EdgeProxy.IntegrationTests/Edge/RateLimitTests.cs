using System.Net;
using EdgeProxy.IntegrationTests.Infrastructure;

namespace EdgeProxy.IntegrationTests.Edge;

public sealed class RateLimitTests
{
    private static Task<ProxyHarness> StartAsync(params string[] env) => ProxyHarness.StartAsync(o => o.ExtraEnv.AddRange(
    [
        "NGX_CLOUDCONNECT_CLIENT_IPS=127.0.0.0/24",
        .. env,
    ]));

    private static async Task<List<HttpStatusCode>> BurstAsync(HttpClient client, string path, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync(path);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    [Fact]
    public async Task DrClient_OverBurst_GetsConfiguredStatus()
    {
        // 1 r/m: no refill can land during the test, so the burst is exact.
        await using var lab = await StartAsync("NGX_CLOUDCONNECT_DR_TASK_REQUEST_RATE_LIMIT=1r/m", "NGX_CLOUDCONNECT_DR_TASK_REQUEST_BURST_LIMIT=2", "NGX_CLOUDCONNECT_LIMIT_REQ_STATUS=503");
        using var client = EdgeClient.Create(lab.PublicUri, "127.0.0.2");

        var statuses = await BurstAsync(client, "/drapi/v1/ping", 5);

        // Burst 2 admits 3 at once (nginx burst semantics), then the configured status.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable], statuses);
        Assert.Equal(3, ProxyHarness.Proxied(lab.Publisher).Count);
        Assert.Equal(2, lab.Logs.WithEventId(3101).Count());
    }

    [Fact]
    public async Task LimitedClient_RecoversAfterTheBucketRefills()
    {
        await using var lab = await StartAsync("NGX_CLOUDCONNECT_DR_TASK_REQUEST_RATE_LIMIT=2r/s", "NGX_CLOUDCONNECT_DR_TASK_REQUEST_BURST_LIMIT=0");
        using var client = EdgeClient.Create(lab.PublicUri, "127.0.0.2");

        // Send until the limit answers (the first request always passes), then wait for a token to come back.
        var limited = false;
        for (var i = 0; i < 20 && !limited; i++)
        {
            using var response = await client.GetAsync("/drapi/v1/ping");
            limited = response.StatusCode == HttpStatusCode.TooManyRequests;
        }

        Assert.True(limited);
        Assert.True(await Eventually.StatusAsync(client, "/drapi/v1/ping", HttpStatusCode.OK, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task LimitedClient_DoesNotShareItsBucketWithAnotherClient()
    {
        await using var lab = await StartAsync("NGX_CLOUDCONNECT_DR_TASK_REQUEST_RATE_LIMIT=1r/m", "NGX_CLOUDCONNECT_DR_TASK_REQUEST_BURST_LIMIT=1");
        using var first = EdgeClient.Create(lab.PublicUri, "127.0.0.2");
        using var second = EdgeClient.Create(lab.PublicUri, "127.0.0.3");

        var firstStatuses = await BurstAsync(first, "/drapi/v1/ping", 4);
        var secondStatuses = await BurstAsync(second, "/drapi/v1/ping", 2);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], firstStatuses);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], secondStatuses);
    }

    [Fact]
    public async Task ExemptAddress_IsNeverLimited()
    {
        await using var lab = await StartAsync("NGX_CLOUDCONNECT_DR_TASK_REQUEST_RATE_LIMIT=1r/m", "NGX_CLOUDCONNECT_DR_TASK_REQUEST_BURST_LIMIT=0", "NGX_RATELIMIT_DISABLE_IPS=127.0.0.5");
        using var exempt = EdgeClient.Create(lab.PublicUri, "127.0.0.5");
        using var limited = EdgeClient.Create(lab.PublicUri, "127.0.0.6");

        var exemptStatuses = await BurstAsync(exempt, "/drapi/v1/ping", 20);
        var limitedStatuses = await BurstAsync(limited, "/drapi/v1/ping", 2);

        Assert.All(exemptStatuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests], limitedStatuses);
    }

    [Fact]
    public async Task DataConnCallbacks_UseTheUserSyncLimit_NotTheDrLimit()
    {
        await using var lab = await StartAsync("NGX_CLOUDCONNECT_USER_SYNC_CALLBACK_REQUEST_RATE_LIMIT=1r/m", "NGX_CLOUDCONNECT_USER_SYNC_CALLBACK_REQUEST_BURST_LIMIT=1");
        using var client = EdgeClient.Create(lab.PublicUri, "127.0.0.2");

        var dataConn = await BurstAsync(client, "/dataconn/v1/callback", 3);
        var dr = await BurstAsync(client, "/drapi/v1/ping", 3);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], dataConn);
        Assert.All(dr, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task RefusedClient_IsNotCountedAgainstItsBucket_BeforeAdmission()
    {
        // Admission runs first: a refused client gets 403, never 429, however fast it sends.
        await using var lab = await StartAsync("NGX_CLOUDCONNECT_CLIENT_IPS=127.0.0.2", "NGX_CLOUDCONNECT_DR_TASK_REQUEST_RATE_LIMIT=1r/m", "NGX_CLOUDCONNECT_DR_TASK_REQUEST_BURST_LIMIT=0");
        using var client = EdgeClient.Create(lab.PublicUri, "127.0.0.9");

        var statuses = await BurstAsync(client, "/drapi/v1/ping", 3);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Forbidden, s));
    }
}
