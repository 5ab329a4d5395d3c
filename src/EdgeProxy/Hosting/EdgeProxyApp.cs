using System.Net;
using EdgeProxy.Configuration;
using EdgeProxy.Edge;
using EdgeProxy.Operations;
using EdgeProxy.Upstreams;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Serilog;
using Serilog.Core;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace EdgeProxy.Hosting;

/// <summary>Builds the EdgeProxy web application from a validated configuration.</summary>
public static class EdgeProxyApp
{
    public static WebApplication Build(LoadedConfiguration configuration, IReadOnlyList<ConfigNotice> notices, EdgeProxyAppOptions? options = null)
    {
        options ??= new EdgeProxyAppOptions();
        var settings = configuration.Settings;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelHttpsConfiguration();

        var state = new ProxyState(configuration);
        var levelSwitch = new LoggingLevelSwitch();
        var logger = LoggingSetup.CreateLogger(settings, levelSwitch, options.ExtraLogSink);
        builder.Services.AddSerilog(logger, dispose: true);
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton(levelSwitch);
        builder.Services.AddSingleton(options.TimeProvider);
        builder.Services.AddSingleton<NodeTlsConnector>();
        builder.Services.AddSingleton<IForwarderHttpClientFactory, UpstreamHttpClientFactory>();
        builder.Services.AddSingleton<ForwardedHeadersTransform>();
        builder.Services.AddActiveNodeFailover(settings);
        builder.Services.AddReverseProxy()
            .LoadFromMemory(YarpConfigBuilder.Routes(settings), YarpConfigBuilder.Clusters(settings))
            .AddTransforms(context =>
            {
                context.CopyRequestHeaders = true;
                context.UseDefaultForwarders = false;
                context.RequestTransforms.Add(context.Services.GetRequiredService<ForwardedHeadersTransform>());
                context.AddResponseTransform(EchoTrackingId);
            });

        builder.WebHost.ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, settings, state));

        var app = builder.Build();
        LogStartup(app, configuration, notices);

        // The status listener answers only its own endpoints and never reaches the proxy.
        app.MapWhen(ListenerKind.IsInternal, internalApp => internalApp.Run(InternalEndpoints.HandleAsync));
        app.UseMiddleware<EdgeRequestMiddleware>();
        app.UseMiddleware<PathPolicyMiddleware>();
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(ForwarderErrorResponder.InvokeAsync);
            proxy.UseMiddleware<FailoverMiddleware>();
            // Inside the failover step, so every attempt reports its transport failure before a retry is chosen.
            proxy.UsePassiveHealthChecks();
        });
        app.Services.GetRequiredService<ClusterAvailabilitySync>().Start();
        return app;
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, EdgeProxySettings settings, ProxyState state)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = settings.MaxBodySize == 0 ? null : settings.MaxBodySize;
        kestrel.Limits.RequestHeadersTimeout = settings.ClientHeaderTimeout;
        kestrel.Limits.KeepAliveTimeout = settings.KeepaliveTimeout;
        kestrel.Limits.Http2.MaxStreamsPerConnection = settings.Http2MaxConcurrentStreams;

        var tls = new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(InboundTls.Options(state.Current)),
        };
        void Public(ListenOptions listen)
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
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

    private static ValueTask EchoTrackingId(ResponseTransformContext context)
    {
        // Set after YARP copied the node's headers, so the client sees exactly one tracking id.
        var info = EdgeRequestInfo.Get(context.HttpContext);
        var header = context.HttpContext.RequestServices.GetRequiredService<ProxyState>().Current.Settings.TrackingHeader;
        context.HttpContext.Response.Headers[header] = info.TrackingId;
        return ValueTask.CompletedTask;
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
    }
}
