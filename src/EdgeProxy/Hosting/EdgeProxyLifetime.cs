using System.Runtime.InteropServices;
using EdgeProxy.Configuration;

namespace EdgeProxy.Hosting;

/// <summary>
/// The host's lifetime with a grace period behind a load balancer: SIGTERM turns <c>/readyz</c> to 503 at once
/// (<see cref="Draining"/>) and keeps serving for <c>EDGEPROXY_SHUTDOWN_DELAY</c>, so the balancer's health check takes
/// this instance out before its listeners close; then the host stops (listeners closed, in-flight requests drain for
/// <see cref="EdgeProxyApp.ShutdownTimeout"/>). A second SIGTERM, SIGINT (Ctrl-C) or SIGQUIT stops at once.
/// Replaces ASP.NET Core's ConsoleLifetime, which stops on the first SIGTERM and has no such delay.
/// </summary>
public sealed class EdgeProxyLifetime(IHostApplicationLifetime application, ProxyState state, Draining draining, TimeProvider time,
    ILogger<EdgeProxyLifetime> logger) : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _signals = [];
    private ITimer? _delay;

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal));
        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal));
        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal));
        // The lines ConsoleLifetime wrote, which operators' scripts look for.
        application.ApplicationStarted.Register(() => HostingLog.Started(logger));
        application.ApplicationStopping.Register(() => HostingLog.ShuttingDown(logger));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Begins the shutdown as SIGTERM does (tests call it without a signal).</summary>
    public void BeginShutdown() => Begin(PosixSignal.SIGTERM);

    public void Dispose()
    {
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }

        _delay?.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Begin(context.Signal);
    }

    private void Begin(PosixSignal signal)
    {
        var delay = state.Current.Settings.ShutdownDelay;
        if (signal != PosixSignal.SIGTERM || delay <= TimeSpan.Zero || !draining.Begin(time.GetUtcNow()))
        {
            HostingLog.Stopping(logger, signal.ToString());
            application.StopApplication();
            return;
        }

        HostingLog.Draining(logger, signal.ToString(), delay.TotalSeconds);
        _delay = time.CreateTimer(_ => application.StopApplication(), null, delay, Timeout.InfiniteTimeSpan);
    }
}
