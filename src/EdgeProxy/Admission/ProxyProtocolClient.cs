using System.Net;

namespace EdgeProxy.Admission;

/// <summary>
/// Connection feature set by <see cref="ProxyProtocolReader"/> on a trusted balancer's connection: the client
/// its PROXY header named (the socket peer for LOCAL, UNKNOWN and UNSPEC headers). Read by admission and the
/// connection limit in place of the peer; the socket peer itself is unchanged.
/// </summary>
/// <param name="EndPoint">Address (normalised) and source port.</param>
public sealed record ProxyProtocolClient(IPEndPoint EndPoint, int Version)
{
    public IPAddress Address => EndPoint.Address;
}
