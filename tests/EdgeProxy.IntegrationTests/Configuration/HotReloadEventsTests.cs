using System.Diagnostics;
using System.Net;
using EdgeProxy.Configuration;
using EdgeProxy.IntegrationTests.Infrastructure;

namespace EdgeProxy.IntegrationTests.Configuration;

/// <summary>
/// Reloads driven by real file events in the layouts operators use, with the periodic check turned off so only the
/// events can trigger them (the check has its own tests with a fake clock).
/// </summary>
public sealed class HotReloadEventsTests
{
    private const string Allowed = "NGX_CLOUDCONNECT_CLIENT_IPS=127.0.0.1|127.0.0.7";

    [Fact]
    public async Task AllowListChanged_WhileAnotherFileInTheDirectoryIsAppendedEvery50ms_AppliesWithoutWaitingForTheWritesToStop()
    {
        await using var lab = await ProxyHarness.StartAsync(o => o.ReloadCheckInterval = Timeout.InfiniteTimeSpan);
        using var newcomer = EdgeClient.Create(lab.PublicUri, "127.0.0.7");
        using var stop = new CancellationTokenSource();
        var log = Path.Combine(lab.Directory, "edgeproxy.log");
        var appends = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await File.AppendAllTextAsync(log, "a busy neighbour\n");
                Interlocked.Increment(ref appends);
                await Task.Delay(50);
            }
        });
        await Eventually.TrueAsync(() => Volatile.Read(ref appends) >= 5, TimeSpan.FromSeconds(5));

        var applied = lab.NextReloadAsync(o => o.Status == ReloadStatus.Applied);
        var clock = Stopwatch.StartNew();
        await lab.RewriteEnvAsync(Allowed);
        var outcome = await applied;
        var took = clock.Elapsed;
        var stillWriting = !writer.IsCompleted;

        await stop.CancelAsync();
        await writer;
        // Applied while the neighbour was still being written: its events did not hold the reload back (the 1 s bound
        // itself is tested with a fake clock in ConfigurationReloaderTests).
        Assert.True(stillWriting, $"reload came after {took}, when the writes had stopped");
        Assert.Contains(PropertyCatalog.ClientIps.Name, outcome.ChangedKeys);
        using var response = await newcomer.GetAsync("/drapi/v1/ping");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ConfigMapVolumeSwapped_DataSymlinkReplaced_Applies()
    {
        await using var lab = await ProxyHarness.StartAsync(o =>
        {
            o.ConfigMapLayout = true;
            o.ReloadCheckInterval = Timeout.InfiniteTimeSpan;
        });
        Assert.NotNull(new FileInfo(lab.EnvFile).LinkTarget);
        using var newcomer = EdgeClient.Create(lab.PublicUri, "127.0.0.7");

        var applied = lab.NextReloadAsync(o => o.Status == ReloadStatus.Applied);
        await lab.RewriteEnvAsync(Allowed);

        Assert.Contains(PropertyCatalog.ClientIps.Name, (await applied).ChangedKeys);
        using var response = await newcomer.GetAsync("/drapi/v1/ping");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task EditorRenamesNewFileIntoPlace_Applies()
    {
        await using var lab = await ProxyHarness.StartAsync(o => o.ReloadCheckInterval = Timeout.InfiniteTimeSpan);
        var lines = File.ReadAllLines(lab.EnvFile).Where(l => !l.StartsWith("NGX_CLOUDCONNECT_CLIENT_IPS=", StringComparison.Ordinal)).Append(Allowed);
        var swap = Path.Combine(lab.Directory, ".test.env.swp");

        var applied = lab.NextReloadAsync(o => o.Status == ReloadStatus.Applied);
        await File.WriteAllLinesAsync(swap, lines);
        File.Move(swap, lab.EnvFile, overwrite: true);

        Assert.Contains(PropertyCatalog.ClientIps.Name, (await applied).ChangedKeys);
    }
}
