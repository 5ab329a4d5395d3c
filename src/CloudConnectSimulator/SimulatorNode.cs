using CloudConnectSimulator.Admin;
using CloudConnectSimulator.Connections;
using CloudConnectSimulator.DataConn;
using CloudConnectSimulator.Drapi;
using CloudConnectSimulator.Hosting;
using CloudConnectSimulator.Logging;
using CloudConnectSimulator.Pipeline;
using CloudConnectSimulator.Recording;
using CloudConnectSimulator.Tasks;
using CloudConnectSimulator.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudConnectSimulator;

/// <summary>
/// One running Cloud Connect node stand-in: an HTTPS listener with mutual TLS (DR ping, task API, DataConn,
/// internal endpoints) and a plain-HTTP admin listener on loopback.
/// </summary>
public sealed class SimulatorNode : IAsyncDisposable
{
    private readonly SimulatorOptions _options;
    private readonly NodeState _state;
    private readonly RequestRecorder _recorder = new();
    private readonly TaskStore _tasks;
    private readonly TlsMaterial _tls;
    private readonly ConnectionGate _gate;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Lock _stopLock = new();
    private WebApplication? _httpsApp;
    private WebApplication? _adminApp;
    private Task? _stopped;

    private SimulatorNode(SimulatorOptions options, TlsMaterial tls)
    {
        _options = options;
        _tls = tls;
        _loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("CloudConnectSimulator");
        _state = new NodeState(options.Name, options.InitialMode, options.Delay);
        _tasks = new TaskStore(
            new Dictionary<string, int>(options.QueueLimits, StringComparer.OrdinalIgnoreCase),
            options.ClosedTaskRetention,
            options.TimeProvider);
        _gate = new ConnectionGate(_state, _logger);
        Name = options.Name;
    }

    /// <summary>Node name, as given in <see cref="SimulatorOptions.Name"/>.</summary>
    public string Name { get; }

    /// <summary>Port the HTTPS listener is bound to.</summary>
    public int HttpsPort { get; private set; }

    /// <summary>Port the admin listener is bound to.</summary>
    public int AdminPort { get; private set; }

    /// <summary>Base address of the HTTPS listener, e.g. <c>https://127.0.0.1:8445/</c>.</summary>
    public Uri HttpsUri { get; private set; } = null!;

    /// <summary>Base address of the admin listener, e.g. <c>http://127.0.0.1:18445/</c>.</summary>
    public Uri AdminUri { get; private set; } = null!;

    /// <summary>Current mode; setting <see cref="NodeMode.Dead"/> also aborts every open HTTPS connection.</summary>
    public NodeMode Mode
    {
        get => _state.Mode;
        set
        {
            _state.Mode = value;
            if (value == NodeMode.Dead)
            {
                _gate.AbortAll();
            }

            SimulatorLog.ModeChanged(_logger, Name, value);
        }
    }

    /// <summary>Delay added before every HTTPS response; negative values count as zero.</summary>
    public TimeSpan Delay
    {
        get => _state.Delay;
        set
        {
            _state.Delay = value;
            SimulatorLog.DelayChanged(_logger, Name, _state.Delay.TotalMilliseconds);
        }
    }

    /// <summary>Snapshot of the HTTPS requests that got past TLS, oldest first (the latest 10,000).</summary>
    public IReadOnlyList<RecordedRequest> Requests => _recorder.Requests;

    /// <summary>Snapshot of the <c>/dataconn/</c> requests among <see cref="Requests"/>, with their body text.</summary>
    public IReadOnlyList<RecordedRequest> DataConnCallbacks => _recorder.DataConnCallbacks;

    /// <summary>TLS handshakes refused for a missing or unverified client certificate, plus connections dropped in dead mode.</summary>
    public int ConnectionsRejected => _state.ConnectionsRejected;

    internal int RequestCount => _recorder.RequestCount;

    /// <summary>Validates the options, loads the certificates and starts both listeners.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    /// <exception cref="InvalidOperationException">A certificate or key file cannot be loaded.</exception>
    public static async Task<SimulatorNode> StartAsync(SimulatorOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        SimulatorOptionsValidator.ThrowIfInvalid(options);

        var node = new SimulatorNode(options, TlsMaterial.Load(options));
        try
        {
            await node.StartListenersAsync(ct);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return node;
    }

    /// <summary>Forgets the recorded requests and DataConn callbacks.</summary>
    public void ClearRecords() => _recorder.Clear();

    /// <summary>Aborts open connections and closes both listeners; afterwards connections are refused, as with a killed process.</summary>
    public Task StopAsync()
    {
        lock (_stopLock)
        {
            return _stopped ??= StopCoreAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_httpsApp is not null)
        {
            await _httpsApp.DisposeAsync();
        }

        if (_adminApp is not null)
        {
            await _adminApp.DisposeAsync();
        }

        _tls.Dispose();
    }

    private async Task StartListenersAsync(CancellationToken ct)
    {
        var adminAddress = _options.AdminAddress ?? _options.Address;

        _httpsApp = BuildHttpsApp();
        _adminApp = BuildAdminApp(adminAddress);
        await _httpsApp.StartAsync(ct);
        await _adminApp.StartAsync(ct);

        HttpsPort = SimulatorHost.BoundPort(_httpsApp);
        AdminPort = SimulatorHost.BoundPort(_adminApp);
        HttpsUri = SimulatorHost.MakeUri(Uri.UriSchemeHttps, _options.Address, HttpsPort);
        AdminUri = SimulatorHost.MakeUri(Uri.UriSchemeHttp, adminAddress, AdminPort);
        SimulatorLog.Started(_logger, Name, HttpsUri, AdminUri, Mode);
    }

    private WebApplication BuildHttpsApp()
    {
        var tlsOptions = MutualTlsHandshake.CreateOptions(_tls, _state, _logger);
        var builder = SimulatorHost.CreateBuilder(_loggerFactory, kestrel =>
            kestrel.Listen(_options.Address, _options.HttpsPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                // Before TLS, so a dead node drops connections without a handshake.
                listen.Use(_gate.Wrap);
                listen.UseHttps(tlsOptions);
            }));

        var app = builder.Build();
        var timeProvider = _options.TimeProvider;
        app.Use(next => new DeadModeMiddleware(next, _state, _gate).InvokeAsync);
        app.Use(next => new RequestLogMiddleware(next, Name, _logger).InvokeAsync);
        app.Use(next => new RecordingMiddleware(next, _recorder, timeProvider).InvokeAsync);
        app.Use(next => new DelayMiddleware(next, _state, timeProvider).InvokeAsync);
        app.MapPing(_state);
        app.MapTasks(_state, _tasks);
        app.MapInternal(_state, _tasks);
        app.MapDataConn();
        return app;
    }

    private WebApplication BuildAdminApp(System.Net.IPAddress adminAddress)
    {
        var builder = SimulatorHost.CreateBuilder(_loggerFactory, kestrel =>
            kestrel.Listen(adminAddress, _options.AdminPort, listen => listen.Protocols = HttpProtocols.Http1));

        var app = builder.Build();
        app.MapAdmin(this, _tasks);
        return app;
    }

    private async Task StopCoreAsync()
    {
        _gate.Close();
        var stopping = new List<Task>();
        if (_httpsApp is not null)
        {
            stopping.Add(_httpsApp.StopAsync());
        }

        if (_adminApp is not null)
        {
            stopping.Add(_adminApp.StopAsync());
        }

        await Task.WhenAll(stopping);
        SimulatorLog.Stopped(_logger, Name);
    }
}
