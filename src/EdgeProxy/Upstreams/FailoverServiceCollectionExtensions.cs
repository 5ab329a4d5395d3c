using EdgeProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace EdgeProxy.Upstreams;

/// <summary>Registers active-node routing and failover with YARP's health model.</summary>
public static class FailoverServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ActiveNodeTracker"/> (the state a status endpoint reads) and the YARP policies that feed and
    /// read it. Call before <c>AddReverseProxy</c>, whose defaults are registered only when absent.
    /// </summary>
    public static IServiceCollection AddActiveNodeFailover(this IServiceCollection services, EdgeProxySettings settings)
    {
        services.AddSingleton(sp => new ActiveNodeTracker(
            HealthCheckRules.From(settings),
            settings.Publisher.ToString(),
            settings.Subscriber.ToString(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ActiveNodeTracker>>()));
        services.AddSingleton<IProbingRequestFactory, NodeProbeRequestFactory>();
        services.AddSingleton<IActiveHealthCheckPolicy, RiseFallHealthPolicy>();
        services.AddSingleton<IPassiveHealthCheckPolicy, TransportFailurePolicy>();
        services.AddSingleton<IAvailableDestinationsPolicy, ActiveNodeDestinationsPolicy>();
        services.AddSingleton<IAvailableDestinationsPolicy, PublisherOnlyDestinationsPolicy>();
        services.AddSingleton<ClusterAvailabilitySync>();
        services.AddSingleton<HealthCheckReload>();
        return services;
    }
}
