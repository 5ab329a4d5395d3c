using EdgeProxy.Configuration;
using EdgeProxy.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeProxy.Tests.Configuration;

/// <summary>When file events and the periodic check lead to a reload, on a fake clock (the file system is real).</summary>
public sealed class ConfigurationReloaderTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new();
    private readonly List<ReloadOutcome> _outcomes = [];
    private readonly string _envFile;

    public ConfigurationReloaderTests() => _envFile = _directory.Write("proxy.env", Env("127.0.0.1"));

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task FileEvents_RelevantEventsEvery50ms_ReloadAtMaxDelayAfterTheFirst()
    {
        using var reloader = await StartAsync(checkInterval: Timeout.InfiniteTimeSpan);

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromSeconds(1); elapsed += TimeSpan.FromMilliseconds(50))
        {
            reloader.OnFileEvent(Changed(_envFile));
            Assert.Empty(_outcomes);
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        // The events never paused for the 200 ms debounce, yet the reload came 1 s after the first of them.
        Assert.Single(_outcomes);
    }

    [Fact]
    public async Task FileEvents_OneEvent_ReloadAfterTheDebounce()
    {
        using var reloader = await StartAsync(checkInterval: Timeout.InfiniteTimeSpan);

        reloader.OnFileEvent(Changed(_envFile));
        _time.Advance(ConfigurationReloader.Debounce - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_outcomes);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Single(_outcomes);
    }

    [Fact]
    public async Task FileEvents_OnlyForOtherFilesInTheDirectory_NeverReload()
    {
        using var reloader = await StartAsync(checkInterval: Timeout.InfiniteTimeSpan);

        for (var i = 0; i < 100; i++)
        {
            reloader.OnFileEvent(Changed(Path.Combine(_directory.Path, "edgeproxy.log")));
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        Assert.Empty(_outcomes);
    }

    [Fact]
    public async Task PeriodicCheck_FileChangedWithoutAnyEvent_AppliedAtTheNextCheck()
    {
        using var reloader = await StartAsync(checkInterval: TimeSpan.FromSeconds(5));
        File.WriteAllText(_envFile, Env("127.0.0.1|127.0.0.7"));

        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Empty(_outcomes);
        _time.Advance(TimeSpan.FromSeconds(0.1));

        var outcome = Assert.Single(_outcomes);
        Assert.Equal(ReloadStatus.Applied, outcome.Status);
        Assert.Equal(["NGX_CLOUDCONNECT_CLIENT_IPS"], outcome.ChangedKeys);
    }

    [Fact]
    public async Task PeriodicCheck_NothingChanged_SaysNothing()
    {
        using var reloader = await StartAsync(checkInterval: TimeSpan.FromSeconds(5));

        _time.Advance(TimeSpan.FromSeconds(60));

        Assert.Empty(_outcomes);
    }

    [Fact]
    public async Task PeriodicCheck_SameBrokenFile_RejectedOnce_ThenAFixApplies()
    {
        using var reloader = await StartAsync(checkInterval: TimeSpan.FromSeconds(5));
        File.WriteAllText(_envFile, Env("10.0.0.300"));

        _time.Advance(TimeSpan.FromSeconds(30));
        var rejected = Assert.Single(_outcomes);
        Assert.Equal(ReloadStatus.Rejected, rejected.Status);

        File.WriteAllText(_envFile, Env("127.0.0.7"));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([ReloadStatus.Rejected, ReloadStatus.Applied], _outcomes.Select(o => o.Status));
    }

    [Theory]
    [InlineData("proxy.env", true)]
    [InlineData("..data", true)]
    [InlineData("..data_tmp", true)]
    [InlineData("..2026_12_01_10_00_00.123", true)]
    [InlineData("edgeproxy.log", false)]
    [InlineData("other.env", false)] // not read: proxy.env came from --env, not from an env directory
    [InlineData(".proxy.env.swp", false)]
    public void WatchedFiles_EventPath_RelevantOnlyForWhatIsRead(string name, bool relevant)
    {
        var watched = new WatchedFiles([_envFile], []);

        Assert.Equal(relevant, watched.IsRelevant(Path.Combine(_directory.Path, name)));
    }

    [Fact]
    public void WatchedFiles_RenameIntoPlace_RelevantByItsNewName_AndEnvDirectoryTakesAnyEnvFile()
    {
        var envDirectory = _directory.CreateDirectory("env.d");
        var watched = new WatchedFiles([_envFile], [envDirectory]);

        Assert.True(watched.IsRelevant(new RenamedEventArgs(WatcherChangeTypes.Renamed, _directory.Path, "proxy.env", ".proxy.env.swp")));
        Assert.True(watched.IsRelevant(Path.Combine(envDirectory, "20-new.env")));
        Assert.False(watched.IsRelevant(Path.Combine(envDirectory, "notes.txt")));
    }

    // File events are raised by synthetic calls here, so a real watcher cannot race the fake clock; the real
    // watcher has its own tests (HotReloadEventsTests).
    private async Task<ConfigurationReloader> StartAsync(TimeSpan checkInterval)
    {
        var sources = new EnvSources([_envFile], []);
        var loaded = ConfigurationLoader.Load(sources, TestEnv.NoProcessEnvironment, _time).Configuration
            ?? throw new InvalidOperationException("the test configuration does not load");
        var reloader = new ConfigurationReloader(new ProxyState(loaded, _time), sources, () => TestEnv.NoProcessEnvironment, _time,
            NullLogger<ConfigurationReloader>.Instance, checkInterval, watchFileEvents: false);
        reloader.Reloaded += _outcomes.Add;
        await reloader.StartAsync(CancellationToken.None);
        return reloader;
    }

    private static FileSystemEventArgs Changed(string path) =>
        new(WatcherChangeTypes.Changed, Path.GetDirectoryName(path)!, Path.GetFileName(path));

    private static string Env(string clients) => TestEnv.LabEnv(clients);
}
