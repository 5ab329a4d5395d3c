using System.Net;
using EdgeProxy.Configuration;

namespace EdgeProxy.Admission;

/// <summary>Who is admitted, parsed once per configuration (README, "Who is admitted").</summary>
public sealed class AdmissionPolicy(IEnumerable<IPNetwork> clients, IEnumerable<IPNetwork> loadBalancers, string? realIpHeader, bool trafficRestricted)
{
    public AddressSet Clients { get; } = new(clients);

    public AddressSet LoadBalancers { get; } = new(loadBalancers);

    /// <summary>The header a trusted load balancer reports the client in; null when no load balancer is configured.</summary>
    public string? RealIpHeader { get; } = realIpHeader;

    public bool HeaderIsForwardedFor { get; } = string.Equals(realIpHeader, "X-Forwarded-For", StringComparison.OrdinalIgnoreCase);

    public bool TrafficRestricted { get; } = trafficRestricted;

    public static AdmissionPolicy From(EdgeProxySettings settings) =>
        new(settings.ClientNetworks, settings.LoadBalancerNetworks, settings.RealIpHeader, settings.TrafficRestricted);
}
