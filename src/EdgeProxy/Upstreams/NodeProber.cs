using System.Net;
using System.Net.Http;
using EdgeProxy.Configuration;

namespace EdgeProxy.Upstreams;

/// <summary>
/// Probes both nodes (docs/traffic.md, "Active node and failover"): a round at start, then every
/// NGX_CLOUDCONNECT_HEALTHCHECK_INTERVAL after the previous round ended, both nodes at once, each bounded by
/// NGX_CLOUDCONNECT_HEALTHCHECK_TIMEOUT, over <see cref="NodeInvoker"/> (the same verified mutual TLS as traffic). Each
/// round goes to <see cref="ActiveNodeTracker.RecordProbes"/>, which counts RISE/FALL. Follows reloads of the
/// health-check settings: the tracker counts with the new ones and a changed interval applies to the wait under way
/// (Cisco's settings are reloadable; the probe path is not).
/// Hand-written because YARP's ActiveHealthCheckMonitor needs its cluster model, which would hold a second copy of
/// node health; time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class NodeProber : BackgroundService
{
    /// <summary>User-Agent of every probe, so node logs (and tests) can tell probes from traffic.</summary>
    public const string UserAgent = "EdgeProxy-HealthCheck/1";

    private readonly ActiveNodeTracker _tracker;
    private readonly ProxyState _state;
    private readonly HttpMessageInvoker _invoker;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Uri _publisherProbe;
    private readonly Uri _subscriberProbe;
    private readonly string _host;
    private readonly Lock _waitLock = new();
    private readonly ITimer _timer;
    private TaskCompletionSource? _wait;
    private long _waitStarted;

    public NodeProber(ActiveNodeTracker tracker, ProxyState state, HttpMessageInvoker invoker, TimeProvider time, ILogger<NodeProber> logger)
    {
        _tracker = tracker;
        _state = state;
        _invoker = invoker;
        _time = time;
        _logger = logger;
        // The probe path, the node addresses and the host name need a restart to change (docs/configuration.md, property reference).
        var settings = state.Current.Settings;
        _publisherProbe = new Uri(settings.Publisher.BaseUri, settings.HealthCheckPath);
        _subscriberProbe = new Uri(settings.Subscriber.BaseUri, settings.HealthCheckPath);
        _host = settings.ExternalHostName;
        _timer = time.CreateTimer(_ => EndWait(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        state.Changed += OnConfigurationChanged;
    }

    public override void Dispose()
    {
        _state.Changed -= OnConfigurationChanged;
        _timer.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                var round = await ProbeRoundAsync(_tracker.Snapshot.Rules.Timeout, stoppingToken).ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
                // The wait starts before the round is recorded, so whoever watches the tracker sees the next round scheduled.
                var wait = WaitAsync(stoppingToken);
                _tracker.RecordProbes(round);
                await wait.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: a round cut short says nothing about the nodes.
        }
    }

    private async Task<ProbeResult[]> ProbeRoundAsync(TimeSpan timeout, CancellationToken stoppingToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, deadline.Token);
        return await Task.WhenAll(
            ProbeAsync(NodeRole.Publisher, _publisherProbe, linked.Token),
            ProbeAsync(NodeRole.Subscriber, _subscriberProbe, linked.Token)).ConfigureAwait(false);
    }

    private async Task<ProbeResult> ProbeAsync(NodeRole node, Uri uri, CancellationToken cancellationToken)
    {
        var startedAt = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        try
        {
            // Like forwarded traffic: HTTP/1.1 and Host = the proxy's external name, because a node that checks its
            // allowed hosts must answer the probe as it answers traffic.
            using var request = new HttpRequestMessage(HttpMethod.Get, uri)
            {
                Version = HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Headers.Host = _host;
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            using var response = await _invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return ProbeResult.Answered(node, startedAt, _time.GetElapsedTime(started), (int)response.StatusCode);
        }
        catch (Exception ex)
        {
            return ProbeResult.Failed(node, startedAt, _time.GetElapsedTime(started), TransportFailure.Describe(ex));
        }
    }

    // A timer rather than Task.Delay, so a reload can move the end of the wait under way (Reschedule).
    private Task WaitAsync(CancellationToken stoppingToken)
    {
        var wait = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waitLock)
        {
            _wait = wait;
            _waitStarted = _time.GetTimestamp();
            _timer.Change(_tracker.Snapshot.Rules.Interval, Timeout.InfiniteTimeSpan);
        }

        return wait.Task.WaitAsync(stoppingToken);
    }

    private void EndWait()
    {
        TaskCompletionSource? wait;
        lock (_waitLock)
        {
            wait = _wait;
            _wait = null;
        }

        wait?.TrySetResult();
    }

    // The wait under way ends INTERVAL (the new one) after it started, or now if that has passed; a round under way
    // is followed by a wait that reads the new interval.
    private void Reschedule(TimeSpan interval)
    {
        lock (_waitLock)
        {
            if (_wait is null)
            {
                return;
            }

            var remaining = interval - _time.GetElapsedTime(_waitStarted);
            if (remaining > TimeSpan.Zero)
            {
                _timer.Change(remaining, Timeout.InfiniteTimeSpan);
                return;
            }

            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        EndWait();
    }

    private void OnConfigurationChanged(ActiveConfiguration configuration)
    {
        var rules = HealthCheckRules.From(configuration.Settings);
        var current = _tracker.Snapshot.Rules;
        if (rules.SameAs(current))
        {
            return;
        }

        _tracker.UpdateRules(rules);
        FailoverLog.HealthCheckRulesChanged(_logger, rules.Rise, rules.Fall, string.Join("|", rules.Codes), rules.Interval.TotalMilliseconds, rules.Timeout.TotalMilliseconds);
        if (rules.Interval != current.Interval)
        {
            Reschedule(rules.Interval);
        }
    }
}
