using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CloudConnectSimulator.Hosting;

/// <summary>Builds the bare web hosts a node runs: Kestrel and routing only, no configuration files or environment.</summary>
internal static class SimulatorHost
{
    /// <summary>How long a stopping listener waits for open requests; connections are aborted first anyway.</summary>
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    public static WebApplicationBuilder CreateBuilder(ILoggerFactory loggerFactory, Action<KestrelServerOptions> configureKestrel)
    {
        // The empty builder reads no appsettings or ASPNETCORE_* variables, so nothing outside the options changes a node.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(SimulatorHost).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            configureKestrel(kestrel);
        });
        builder.Services.AddRouting();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, DetachedLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = SimulatorJson.Options.DefaultIgnoreCondition);
        return builder;
    }

    /// <summary>The port Kestrel actually bound, which differs from the configured one when that was 0.</summary>
    public static int BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var address = addresses.Single();
        return new Uri(address).Port;
    }

    public static Uri MakeUri(string scheme, IPAddress address, int port) => new UriBuilder(scheme, address.ToString(), port).Uri;
}
