using System.Diagnostics;
using System.Net;
using EdgeProxy.Configuration;
using EdgeProxy.IntegrationTests.Infrastructure;
using EdgeProxy.Operations;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EdgeProxy.IntegrationTests.Edge;

public sealed class RateLimitTests(ITestOutputHelper output)
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
    public async Task DrClient_OverBurstInDryRun_EveryRequestForwarded_WouldBeRefusalsLoggedAndCounted()
    {
        await using var lab = await StartAsync("NGX_CLOUDCONNECT_DR_TASK_REQUEST_RATE_LIMIT=1r/m", "NGX_CLOUDCONNECT_DR_TASK_REQUEST_BURST_LIMIT=2",
            "NGX_CLOUDCONNECT_LIMIT_REQ_STATUS=503", "NGX_LIMIT_REQ_DRY_RUN=on");
        var metrics = lab.App.Services.GetRequiredService<EdgeMetrics>();
        using var client = EdgeClient.Create(lab.PublicUri, "127.0.0.2");

        var statuses = await BurstAsync(client, "/drapi/v1/ping", 5);
        await lab.Logs.WaitForEventIdAsync(4001, 5);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(5, ProxyHarness.Proxied(lab.Publisher).Count);
        // The two the limit would have answered 503, and nothing refused.
        var wouldRefuse = lab.Logs.WithEventId(3106).ToList();
        Assert.Equal(2, wouldRefuse.Count);
        Assert.All(wouldRefuse, e => Assert.Equal("127.0.0.2", InMemorySink.Property(e, "Client")));
        Assert.All(wouldRefuse, e => Assert.Equal("503", InMemorySink.Property(e, "Status")));
        Assert.Empty(lab.Logs.WithEventId(3101));
        Assert.Equal(2, metrics.DryRunRefusals.WithLabels("RateLimited").Value);
        Assert.Equal(0, metrics.Refusals.WithLabels("RateLimited").Value);
    }

    [Fact]
    public async Task DryRunSwitchedOffOnReload_TheLimitRefusesAgain()
    {
        await using var lab = await StartAsync("NGX_CLOUDCONNECT_DR_TASK_REQUEST_RATE_LIMIT=1r/m", "NGX_CLOUDCONNECT_DR_TASK_REQUEST_BURST_LIMIT=0", "NGX_LIMIT_REQ_DRY_RUN=on");
        using var client = EdgeClient.Create(lab.PublicUri, "127.0.0.2");
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], await BurstAsync(client, "/drapi/v1/ping", 2));

        var applied = lab.NextReloadAsync(o => o.Status == ReloadStatus.Applied);
        await lab.RewriteEnvAsync("NGX_CLOUDCONNECT_CLIENT_IPS=127.0.0.0/24", "NGX_CLOUDCONNECT_DR_TASK_REQUEST_RATE_LIMIT=1r/m",
            "NGX_CLOUDCONNECT_DR_TASK_REQUEST_BURST_LIMIT=0", "NGX_LIMIT_REQ_DRY_RUN=off");
        var outcome = await applied;

        Assert.Equal(["NGX_LIMIT_REQ_DRY_RUN"], outcome.ChangedKeys);
        Assert.Empty(outcome.RestartRequired);
        // A reload starts new buckets: one admitted, then refused for real.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests], await BurstAsync(client, "/drapi/v1/ping", 2));
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
    public async Task DrClient_SendingFasterThan15PerSecond_IsAdmittedAt15PerSecond()
    {
        // 15r/s is not a whole number of tokens per 100 ms: a limiter that rounds per heartbeat admits 10 or 20 a second.
        const int Rate = 15, Burst = 15;
        await using var lab = await StartAsync($"NGX_CLOUDCONNECT_DR_TASK_REQUEST_RATE_LIMIT={Rate}r/s", $"NGX_CLOUDCONNECT_DR_TASK_REQUEST_BURST_LIMIT={Burst}");
        using var client = EdgeClient.Create(lab.PublicUri, "127.0.0.2");
        var clock = Stopwatch.StartNew();

        // Empty the burst: the first refusal leaves the bucket full, so from its answer on only the rate refills it.
        var burstAdmitted = 0;
        TimeSpan refusedSent;
        while (true)
        {
            refusedSent = clock.Elapsed;
            using var response = await client.GetAsync("/drapi/v1/ping");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                break;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            burstAdmitted++;
        }

        var start = clock.Elapsed;
        int admitted = 0, refused = 0;
        var (lastSent, lost) = (start, 0.0);
        while (clock.Elapsed - start < TimeSpan.FromSeconds(3.5))
        {
            var sent = clock.Elapsed;
            // A client stall longer than the burst holds lets refills go unused; the bucket cannot be blamed for those.
            lost += Math.Max(0, Rate * (sent - lastSent).TotalSeconds - Burst);
            lastSent = sent;
            using var response = await client.GetAsync("/drapi/v1/ping");
            Assert.Contains(response.StatusCode, (HttpStatusCode[])[HttpStatusCode.OK, HttpStatusCode.TooManyRequests]);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                admitted++;
            }
            else
            {
                refused++;
            }
        }

        var end = clock.Elapsed;
        // The refusal left the bucket within one request of full, so between that request and the last answer the rate
        // admits R × time ± 1; one more either side for the clocks' rounding. A 10 or 20 r/s limiter misses by 17.
        var high = 2 + Rate * (end - refusedSent).TotalSeconds;
        var low = Rate * (lastSent - start).TotalSeconds - lost - 2;
        output.WriteLine($"burst: {burstAdmitted} admitted at once; then {admitted} admitted, {refused} refused in {(end - start).TotalSeconds:F2} s, "
            + $"{Rate * (end - start).TotalSeconds:F1} expected at {Rate} r/s, allowed {low:F1} to {high:F1} ({lost:F1} lost to client stalls)");
        Assert.InRange(burstAdmitted, Burst + 1, Burst + 1 + Rate * start.TotalSeconds);
        Assert.True(refused > admitted, "the client must send faster than the rate");
        Assert.InRange(admitted, low, high);
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
