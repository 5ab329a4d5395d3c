using EdgeProxy.Configuration;

namespace EdgeProxy.Admission;

/// <summary>Who is admitted, parsed once per configuration (DESIGN.md section 3).</summary>
public sealed class AdmissionPolicy
{
    public AdmissionPolicy(EdgeProxySettings settings)
    {
        Clients = new AddressSet(settings.ClientNetworks);
        LoadBalancers = new AddressSet(settings.LoadBalancerNetworks);
        RealIpHeader = settings.RealIpHeader;
        HeaderIsForwardedFor = string.Equals(settings.RealIpHeader, "X-Forwarded-For", StringComparison.OrdinalIgnoreCase);
        TrafficRestricted = settings.TrafficRestricted;
    }

    public AddressSet Clients { get; }

    public AddressSet LoadBalancers { get; }

    /// <summary>The header a trusted load balancer reports the client in; null when no load balancer is configured.</summary>
    public string? RealIpHeader { get; }

    public bool HeaderIsForwardedFor { get; }

    public bool TrafficRestricted { get; }
}
