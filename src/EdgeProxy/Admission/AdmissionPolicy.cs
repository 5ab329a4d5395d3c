using System.Net;
using EdgeProxy.Configuration;

namespace EdgeProxy.Admission;

/// <summary>Who is admitted, parsed once per configuration (docs/traffic.md, "Who is admitted").</summary>
public sealed class AdmissionPolicy(IEnumerable<IPNetwork> clients, IEnumerable<IPNetwork> loadBalancers, string? realIpHeader, bool trafficRestricted)
{
    /// <summary>The NGX_LOAD_BALANCER_REAL_IP_HEADER value that selects the PROXY protocol instead of a header.</summary>
    public const string ProxyProtocolValue = "proxy_protocol";

    public AddressSet Clients { get; } = new(clients);

    public AddressSet LoadBalancers { get; } = new(loadBalancers);

    /// <summary>The header a trusted load balancer reports the client in; null when no load balancer is configured.</summary>
    public string? RealIpHeader { get; } = realIpHeader;

    public bool HeaderIsForwardedFor { get; } = string.Equals(realIpHeader, "X-Forwarded-For", StringComparison.OrdinalIgnoreCase);

    /// <summary>nginx's <c>real_ip_header proxy_protocol</c>: the client is named in a PROXY header before TLS, never in an HTTP header.</summary>
    public bool ProxyProtocol { get; } = string.Equals(realIpHeader, ProxyProtocolValue, StringComparison.OrdinalIgnoreCase);

    public bool TrafficRestricted { get; } = trafficRestricted;

    public static AdmissionPolicy From(EdgeProxySettings settings) =>
        new(settings.ClientNetworks, settings.LoadBalancerNetworks, settings.RealIpHeader, settings.TrafficRestricted);
}
