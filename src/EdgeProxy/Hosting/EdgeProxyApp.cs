using System.Net;
using EdgeProxy.Admission;
using EdgeProxy.Configuration;
using EdgeProxy.Edge;
using EdgeProxy.Operations;
using EdgeProxy.Upstreams;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Serilog;
using Serilog.Core;

namespace EdgeProxy.Hosting;

/// <summary>Builds the EdgeProxy web application from a validated configuration.</summary>
public static class EdgeProxyApp
{
    /// <summary>nginx's large_client_header_buffers 4 8k: 8 KB request line, 32 KB of headers (431 beyond).</summary>
    public const int MaxRequestLineSize = 8 * 1024;

    public const int MaxRequestHeadersTotalSize = 32 * 1024;

    public const int MaxRequestHeaderCount = 100;

    public static WebApplication Build(LoadedConfiguration configuration, IReadOnlyList<ConfigNotice> notices, EdgeProxyAppOptions? options = null)
    {
        options ??= new EdgeProxyAppOptions();
        var settings = configuration.Settings;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = InlineIo.Enabled);

        var state = new ProxyState(configuration, options.TimeProvider);
        var levelSwitch = new LoggingLevelSwitch();
        var logger = LoggingSetup.CreateLogger(settings, levelSwitch, options.ExtraLogSink);
        builder.Services.AddSerilog(logger, dispose: true);
        builder.Services.AddKestrelRejectionLog();
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton(levelSwitch);
        builder.Services.AddSingleton(options.TimeProvider);
        builder.Services.AddSingleton<ConnectionCounter>();
        builder.Services.AddSingleton<EdgeMetrics>();
        builder.Services.AddSingleton<ProcessClock>();
        builder.Services.AddSingleton<InternalEndpoints>();
        builder.Services.AddSingleton<FailoverMetrics>();
        builder.Services.AddHostedService<CertificateExpiryMetrics>();
        builder.Services.AddSingleton<ConnectionLimit>();
        builder.Services.AddSingleton<ProxyProtocolReader>();
        builder.Services.AddSingleton(sp => new ConfigurationReloader(state, options.Sources, options.ProcessEnvironment, options.TimeProvider,
            sp.GetRequiredService<ILogger<ConfigurationReloader>>(), options.ReloadCheckInterval));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ConfigurationReloader>());
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddSingleton<Draining>();
        builder.Services.AddSingleton<EdgeProxyLifetime>();
        builder.Services.AddSingleton<IHostLifetime>(sp => sp.GetRequiredService<EdgeProxyLifetime>());
        builder.Services.AddSingleton<RateLimitRejection>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<RateLimitRejection>((limits, rejection) =>
        {
            limits.GlobalLimiter = EdgeRateLimiter.Create(options.TimeProvider, rejection);
            limits.OnRejected = rejection.OnRejectedAsync;
        });
        state.Changed += active => levelSwitch.MinimumLevel = active.Settings.LogLevel;
        builder.Services.AddNodeForwarding(settings);

        builder.WebHost.ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, settings, state, kestrel.ApplicationServices.GetRequiredService<ConnectionLimit>()));

        var app = builder.Build();
        LogStartup(app, configuration, notices);
        ObserveReloads(app);

        // The status listener answers only its own endpoints and never reaches the proxy.
        app.MapWhen(ListenerKind.IsInternal, internalApp => internalApp.Run(app.Services.GetRequiredService<InternalEndpoints>().HandleAsync));
        app.UseMiddleware<AccessLogMiddleware>();
        app.UseMiddleware<EdgeRequestMiddleware>();
        app.UseMiddleware<AdmissionMiddleware>();
        app.UseMiddleware<PathPolicyMiddleware>();
        app.UseMiddleware<StreamLimitMiddleware>();
        app.UseRateLimiter();
        app.UseMiddleware<KeepaliveRequestsMiddleware>();
        app.Run(app.Services.GetRequiredService<NodeForwarder>().InvokeAsync);
        app.Services.GetRequiredService<FailoverMetrics>().Start();
        _ = app.Services.GetRequiredService<ProcessClock>(); // created now, so uptime counts from start
        return app;
    }

    /// <summary>How long shutdown waits for in-flight requests: with the default EDGEPROXY_SHUTDOWN_DELAY (3 s), 9 s in all, below Docker's default 10 s stop timeout.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(6);

    private static void ConfigureKestrel(KestrelServerOptions kestrel, EdgeProxySettings settings, ProxyState state, ConnectionLimit connectionLimit)
    {
        kestrel.AddServerHeader = false;
        // The per-request limit (EdgeRequestMiddleware) follows reloads; this is the start-up value.
        kestrel.Limits.MaxRequestBodySize = settings.MaxBodySize == 0 ? null : settings.MaxBodySize;
        kestrel.Limits.RequestHeadersTimeout = settings.ClientHeaderTimeout;
        kestrel.Limits.KeepAliveTimeout = settings.KeepaliveTimeout;
        kestrel.Limits.Http2.MaxStreamsPerConnection = settings.Http2MaxConcurrentStreams;
        // nginx client_body_timeout is the longest pause between two reads: a body slower than 240 B/s
        // after that grace period is cut off, so a slow client cannot hold a connection.
        kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: settings.ClientBodyTimeout);
        kestrel.Limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: settings.ClientBodyTimeout);
        kestrel.Limits.MaxRequestHeadersTotalSize = MaxRequestHeadersTotalSize;
        kestrel.Limits.MaxRequestHeaderCount = MaxRequestHeaderCount;
        kestrel.Limits.MaxRequestLineSize = MaxRequestLineSize;

        var tls = new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(InboundTls.Options(state.Current)),
            HandshakeTimeout = settings.ClientHeaderTimeout,
        };
        void Public(ListenOptions listen)
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            // Before TLS: refusing over-limit connections must not cost a handshake. The PROXY header first, so the limit counts its client.
            listen.Use(kestrel.ApplicationServices.GetRequiredService<ProxyProtocolReader>().Wrap);
            listen.Use(connectionLimit.Wrap);
            listen.Use(kestrel.ApplicationServices.GetRequiredService<KestrelRejections>().Track);
            listen.UseHttps(tls);
        }

        if (settings.BindAddress is { } address)
        {
            kestrel.Listen(address, settings.Port, Public);
        }
        else
        {
            kestrel.ListenAnyIP(settings.Port, Public);
        }

        kestrel.Listen(settings.InternalBindAddress, settings.StatusPort, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(next => connection =>
            {
                ListenerKind.MarkInternal(connection.Items);
                return next(connection);
            });
        });
    }

    private static void ObserveReloads(WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<EdgeMetrics>();
        var state = app.Services.GetRequiredService<ProxyState>();
        metrics.SetConfigVersion(state.Current.Version);
        app.Services.GetRequiredService<ConfigurationReloader>().Reloaded += outcome =>
        {
            metrics.Reloads.WithLabels(outcome.Status.ToString().ToLowerInvariant()).Inc();
            metrics.SetConfigVersion(state.Current.Version);
        };
    }

    private static void LogStartup(WebApplication app, LoadedConfiguration configuration, IReadOnlyList<ConfigNotice> notices)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeProxy");
        foreach (var notice in notices)
        {
            if (notice.IsWarning)
            {
                HostingLog.ConfigurationWarning(logger, notice.Message);
            }
            else
            {
                HostingLog.ConfigurationInfo(logger, notice.Message);
            }
        }

        var s = configuration.Settings;
        HostingLog.Starting(logger, configuration.Version, (s.BindAddress ?? IPAddress.IPv6Any).ToString(), s.Port, s.InternalBindAddress.ToString(), s.StatusPort,
            s.Publisher.ToString(), s.Subscriber.ToString(), string.Join(", ", configuration.Env.FilesRead));
        HostingLog.CipherPolicy(logger, TlsCipherPolicy.FromOpenSslConfiguration
            ? $"OpenSSL ({TlsCipherPolicy.Variable}={Environment.GetEnvironmentVariable(TlsCipherPolicy.Variable)}): TLS contexts cached, sessions resumed"
            : $"EdgeProxy per connection (set {TlsCipherPolicy.Variable} to {Path.Combine(AppContext.BaseDirectory, TlsCipherPolicy.FileName)} for cached TLS contexts, about 1.6 times the new-connection rate)");
    }
}
