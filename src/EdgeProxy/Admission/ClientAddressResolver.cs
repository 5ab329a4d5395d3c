using System.Net;
using Microsoft.Extensions.Primitives;

namespace EdgeProxy.Admission;

/// <summary>
/// Decides the client address and whether it is admitted (docs/traffic.md, "Who is admitted"). Pure: the peer and
/// the header values in, a decision out, so the spoofing rules are unit- and property-tested.
/// </summary>
public static class ClientAddressResolver
{
    private const int MaxClaimedLength = 256;

    /// <param name="peer">The socket peer.</param>
    /// <param name="headerValues">All values of the policy's client-address header (ignored unless the peer is a trusted load balancer).</param>
    /// <param name="proxied">The client a trusted balancer named in the connection's PROXY header, if it sent one.</param>
    public static AdmissionDecision Decide(IPAddress peer, StringValues headerValues, AdmissionPolicy policy, IPEndPoint? proxied = null)
    {
        peer = IpAddressGrammar.Normalize(peer);
        var fromLoadBalancer = policy.RealIpHeader is not null && policy.LoadBalancers.Contains(peer);
        if (policy.TrafficRestricted && !fromLoadBalancer)
        {
            return new AdmissionDecision(peer, RefusalReason.PeerNotLoadBalancer, null);
        }

        if (!fromLoadBalancer)
        {
            // Forwarding headers from anyone else are never believed.
            return Judge(peer, policy, null);
        }

        // The PROXY header is the only source on such a connection, even when a reload has since chosen a header;
        // a connection accepted before a reload to proxy_protocol has none and is refused.
        if (proxied is not null)
        {
            return Judge(IpAddressGrammar.Normalize(proxied.Address), policy, proxied.ToString());
        }

        if (policy.ProxyProtocol)
        {
            return new AdmissionDecision(null, RefusalReason.MissingClientHeader, null);
        }

        var claimed = Truncate(headerValues.ToString());
        if (StringValues.IsNullOrEmpty(headerValues))
        {
            return new AdmissionDecision(null, RefusalReason.MissingClientHeader, null);
        }

        var client = policy.HeaderIsForwardedFor ? WalkForwardedFor(headerValues, policy.LoadBalancers) : ParseSingle(headerValues);
        return client is null
            ? new AdmissionDecision(null, RefusalReason.InvalidClientHeader, claimed)
            : Judge(client, policy, claimed);
    }

    private static AdmissionDecision Judge(IPAddress client, AdmissionPolicy policy, string? claimed) =>
        new(client, policy.Clients.Contains(client) ? RefusalReason.None : RefusalReason.ClientNotAllowed, claimed);

    /// <summary>
    /// Right to left over every X-Forwarded-For line joined in order, skipping trusted load balancers;
    /// the first untrusted entry is the client. When every entry is trusted the leftmost is the client
    /// (nginx real_ip_recursive). An unparsable entry reached by the walk makes the header invalid.
    /// </summary>
    private static IPAddress? WalkForwardedFor(StringValues values, AddressSet loadBalancers)
    {
        IPAddress? last = null;
        for (var v = values.Count - 1; v >= 0; v--)
        {
            var line = (values[v] ?? "").AsSpan();
            var end = line.Length;
            while (end >= 0)
            {
                var comma = end == 0 ? -1 : line[..end].LastIndexOf(',');
                var entry = line[(comma + 1)..end];
                if (!IpAddressGrammar.TryParseForwarded(entry.Trim(), out var address))
                {
                    return null;
                }

                if (!loadBalancers.Contains(address))
                {
                    return address;
                }

                last = address;
                if (comma < 0)
                {
                    break;
                }

                end = comma;
            }
        }

        return last;
    }

    private static IPAddress? ParseSingle(StringValues values) =>
        values.Count == 1 && IpAddressGrammar.TryParseForwarded(values[0].AsSpan().Trim(), out var address) ? address : null;

    private static string Truncate(string value) => value.Length <= MaxClaimedLength ? value : value[..MaxClaimedLength] + "...";
}
