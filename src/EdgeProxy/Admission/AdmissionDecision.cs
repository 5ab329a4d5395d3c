using System.Net;

namespace EdgeProxy.Admission;

/// <summary>Why a request was refused; also the <c>reason</c> of the blocking log and a metrics label.</summary>
public enum RefusalReason
{
    None,

    /// <summary>The client address is not in NGX_CLOUDCONNECT_CLIENT_IPS.</summary>
    ClientNotAllowed,

    /// <summary>NGX_TRAFFIC_RESTRICTED is on and the peer is not a trusted load balancer.</summary>
    PeerNotLoadBalancer,

    /// <summary>A trusted load balancer sent no client-address header.</summary>
    MissingClientHeader,

    /// <summary>A trusted load balancer sent a client-address header that is not an address.</summary>
    InvalidClientHeader,

    /// <summary>The client exceeded its request rate (NGX_CLOUDCONNECT_*_RATE_LIMIT and burst).</summary>
    RateLimited,

    /// <summary>The client exceeded its concurrent HTTP/2 streams (NGX_CLOUDCONNECT_HTTP2_CONN_LIMIT).</summary>
    StreamLimit,
}

/// <summary>The outcome of admission: the client address, or why the request is refused.</summary>
/// <param name="Client">The client address the allow-list judged (null when the header could not be read).</param>
/// <param name="Claimed">The raw header value a trusted load balancer sent, for the blocking log (truncated).</param>
public sealed record AdmissionDecision(IPAddress? Client, RefusalReason Refusal, string? Claimed)
{
    public bool Admitted => Refusal == RefusalReason.None;
}
