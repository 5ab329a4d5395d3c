using EdgeProxy.Configuration;
using EdgeProxy.Hosting;
using EdgeProxy.Tests.Support;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeProxy.Tests.Hosting;

public sealed class EdgeProxyLifetimeTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingApplicationLifetime _application = new();
    private readonly Draining _draining = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void BeginShutdown_WithDelay_DrainsAtOnce_AndStopsTheHostOnlyAfterTheDelay()
    {
        using var lifetime = Lifetime("EDGEPROXY_SHUTDOWN_DELAY=3s");
        var began = 0;
        _draining.Began += () => began++;

        lifetime.BeginShutdown();

        Assert.True(_draining.IsDraining);
        Assert.Equal(_time.GetUtcNow(), _draining.Since);
        Assert.Equal(1, began);
        _time.Advance(TimeSpan.FromSeconds(2.999));
        Assert.Equal(0, _application.Stops);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _application.Stops);
    }

    [Fact]
    public void BeginShutdown_Twice_SecondStopsAtOnce()
    {
        using var lifetime = Lifetime("EDGEPROXY_SHUTDOWN_DELAY=3s");

        lifetime.BeginShutdown();
        lifetime.BeginShutdown();

        Assert.Equal(1, _application.Stops);
    }

    [Fact]
    public void BeginShutdown_DelayZero_StopsAtOnce_WithoutDraining()
    {
        using var lifetime = Lifetime("EDGEPROXY_SHUTDOWN_DELAY=0s");

        lifetime.BeginShutdown();

        Assert.Equal(1, _application.Stops);
        Assert.False(_draining.IsDraining);
    }

    [Fact]
    public void ShutdownDelay_Default_FitsDockersStopTimeoutWithTheDrain()
    {
        var settings = Settings();

        Assert.Equal(TimeSpan.FromSeconds(3), settings.ShutdownDelay);
        Assert.True(settings.ShutdownDelay + EdgeProxyApp.ShutdownTimeout < TimeSpan.FromSeconds(10));
    }

    private EdgeProxyLifetime Lifetime(string line)
    {
        var sources = new EnvSources([_directory.Write("lifetime.env", TestEnv.LabEnv("127.0.0.1", line))], []);
        var loaded = ConfigurationLoader.Load(sources, TestEnv.NoProcessEnvironment, _time).Configuration
            ?? throw new InvalidOperationException("the test configuration does not load");
        return new EdgeProxyLifetime(_application, new ProxyState(loaded, _time), _draining, _time, NullLogger<EdgeProxyLifetime>.Instance);
    }

    private EdgeProxySettings Settings() =>
        TestEnv.Bind(_directory, TestEnv.RequiredKeys).Settings ?? throw new InvalidOperationException("required keys do not bind");

    private sealed class RecordingApplicationLifetime : IHostApplicationLifetime
    {
        public int Stops { get; private set; }

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Stops++;
    }
}
