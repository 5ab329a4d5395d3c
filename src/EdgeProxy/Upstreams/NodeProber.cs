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
/// Traffic can ask for a round sooner (<see cref="ProbeNow"/>, after a node answered as standby) and keep rounds
/// coming every <see cref="UrgentInterval"/> while requests wait for an active node (<see cref="Urgent"/>); triggered
/// rounds start at least <see cref="MinimumGap"/> after the previous one ended, and the regular schedule follows.
/// Hand-written because YARP's ActiveHealthCheckMonitor needs its cluster model, which would hold a second copy of
/// node health; time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class NodeProber : BackgroundService, IProbeScheduler
{
    /// <summary>The soonest a triggered round starts after the previous round ended, so a burst of signals cannot flood the nodes.</summary>
    public static readonly TimeSpan MinimumGap = TimeSpan.FromMilliseconds(150);

    /// <summary>Time between rounds while requests wait for an active node (or the configured interval, if shorter).</summary>
    public static readonly TimeSpan UrgentInterval = TimeSpan.FromMilliseconds(250);

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
    private bool _triggered;
    private int _urgent;
    // Completed when the next round to start is recorded: what ProbeNow callers share.
    private TaskCompletionSource _nextRound = new(TaskCreationOptions.RunContinuationsAsynchronously);

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
                TaskCompletionSource thisRound;
                lock (_waitLock)
                {
                    // Callers until now are answered by this round; later ones by the next.
                    thisRound = _nextRound;
                    _nextRound = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _triggered = false;
                }

                var round = await ProbeRoundAsync(_tracker.Snapshot.Rules.Timeout, stoppingToken).ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
                // The wait starts before the round is recorded, so whoever watches the tracker sees the next round scheduled.
                var wait = WaitAsync(stoppingToken);
                _tracker.RecordProbes(round);
                thisRound.TrySetResult();
                await wait.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: a round cut short says nothing about the nodes.
            lock (_waitLock)
            {
                _nextRound.TrySetCanceled(stoppingToken);
            }
        }
    }

    /// <inheritdoc />
    public Task ProbeNow()
    {
        Task next;
        lock (_waitLock)
        {
            next = _nextRound.Task;
            _triggered = true;
        }

        Reschedule();
        return next;
    }

    /// <inheritdoc />
    public IDisposable Urgent()
    {
        Interlocked.Increment(ref _urgent);
        _ = ProbeNow();
        return new UrgentScope(this);
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
            _timer.Change(NextRoundDelay(), Timeout.InfiniteTimeSpan);
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

    // After the previous round ended: INTERVAL; UrgentInterval while requests wait; MinimumGap when a round was asked for.
    private TimeSpan NextRoundDelay()
    {
        var delay = _tracker.Snapshot.Rules.Interval;
        if (Volatile.Read(ref _urgent) > 0 && UrgentInterval < delay)
        {
            delay = UrgentInterval;
        }

        return _triggered && MinimumGap < delay ? MinimumGap : delay;
    }

    // The wait under way ends NextRoundDelay (as it reads now: a new interval, a request for a round) after it started,
    // or now if that has passed; a round under way is followed by a wait that reads the new values.
    private void Reschedule()
    {
        lock (_waitLock)
        {
            if (_wait is null)
            {
                return;
            }

            var remaining = NextRoundDelay() - _time.GetElapsedTime(_waitStarted);
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
            Reschedule();
        }
    }

    private sealed class UrgentScope(NodeProber prober) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref prober._urgent);
            }
        }
    }
}
