using EdgeProxy.Configuration;

namespace EdgeProxy.Upstreams;

/// <summary>Registers forwarding to the Cloud Connect nodes: the node state, its probes and the forwarder.</summary>
public static class NodeForwardingServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ActiveNodeTracker"/> (the only owner of node state), <see cref="NodeProber"/> (a hosted service),
    /// the mutual-TLS <see cref="NodeInvoker"/> both share with traffic, YARP's IHttpForwarder and <see cref="NodeForwarder"/>.
    /// </summary>
    public static IServiceCollection AddNodeForwarding(this IServiceCollection services, EdgeProxySettings settings)
    {
        services.AddSingleton(sp => new ActiveNodeTracker(
            HealthCheckRules.From(settings),
            settings.Publisher.ToString(),
            settings.Subscriber.ToString(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ActiveNodeTracker>>()));
        services.AddSingleton<NodeTlsConnector>();
        services.AddSingleton<NodeInvoker>();
        services.AddSingleton<NodeRequestTransformer>();
        services.AddSingleton(sp => new NodeProber(
            sp.GetRequiredService<ActiveNodeTracker>(),
            sp.GetRequiredService<ProxyState>(),
            sp.GetRequiredService<NodeInvoker>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<NodeProber>>()));
        services.AddHostedService(sp => sp.GetRequiredService<NodeProber>());
        services.AddSingleton<IProbeScheduler>(sp => sp.GetRequiredService<NodeProber>());
        services.AddSingleton<ActiveNodeWait>();
        services.AddHttpForwarder();
        services.AddSingleton<NodeForwarder>();
        return services;
    }
}
