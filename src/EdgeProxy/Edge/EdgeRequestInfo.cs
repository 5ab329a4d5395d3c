using System.Net;

namespace EdgeProxy.Edge;

/// <summary>What the edge learned about a request; read by transforms and the access log.</summary>
public sealed class EdgeRequestInfo
{
    public EdgeRequestInfo(IPAddress peer, string trackingId)
    {
        Peer = peer;
        Client = peer;
        TrackingId = trackingId;
    }

    /// <summary>The socket peer, IPv4-mapped addresses normalised.</summary>
    public IPAddress Peer { get; }

    /// <summary>The client the allow-list judged: the peer, or the address a trusted load balancer reported.</summary>
    public IPAddress Client { get; set; }

    public string TrackingId { get; }

    public EdgeRoute Route { get; set; } = EdgeRoute.NotFound;

    /// <summary>Why admission refused the request; None when admitted.</summary>
    public Admission.RefusalReason Refusal { get; set; }

    public static EdgeRequestInfo Get(HttpContext context) =>
        context.Features.Get<EdgeRequestInfo>() ?? throw new InvalidOperationException("the edge middleware did not run");
}
