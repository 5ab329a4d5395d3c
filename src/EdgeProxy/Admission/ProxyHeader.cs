using System.Net;

namespace EdgeProxy.Admission;

/// <summary>A parsed PROXY protocol header.</summary>
/// <param name="Version">1 (text) or 2 (binary).</param>
/// <param name="Source">The client the balancer names, normalised; null for v1 UNKNOWN and v2 LOCAL or UNSPEC, where the socket peer is the client.</param>
/// <param name="Destination">The address the client connected to, as the balancer saw it; null when <paramref name="Source"/> is.</param>
public sealed record ProxyHeader(int Version, IPEndPoint? Source, IPEndPoint? Destination);
