using System.Net;
using EdgeProxy.Configuration;
using EdgeProxy.Upstreams;

namespace EdgeProxy.Edge;

/// <summary>What the edge learned about a request; read by the later steps, the forwarder and the access log.</summary>
public sealed class EdgeRequestInfo
{
    public EdgeRequestInfo(ActiveConfiguration configuration, IPAddress peer, string trackingId)
    {
        Configuration = configuration;
        Peer = peer;
        Client = peer;
        TrackingId = trackingId;
    }

    /// <summary>The configuration this request is handled with from start to end, even if a reload lands meanwhile.</summary>
    public ActiveConfiguration Configuration { get; }

    /// <summary>The socket peer, IPv4-mapped addresses normalised.</summary>
    public IPAddress Peer { get; }

    /// <summary>The client the allow-list judged: the peer, or the address a trusted load balancer reported.</summary>
    public IPAddress Client { get; set; }

    public string TrackingId { get; }

    public EdgeRoute Route { get; init; } = EdgeRoute.NotFound;

    /// <summary>Why admission refused the request; None when admitted.</summary>
    public Admission.RefusalReason Refusal { get; set; }

    /// <summary>The node the request was last forwarded to, if any.</summary>
    public NodeRole? Node { get; set; }

    /// <summary>The node's response status, when one arrived.</summary>
    public int? UpstreamStatus { get; set; }

    /// <summary>Timestamp (Stopwatch ticks) when forwarding started.</summary>
    public long UpstreamStarted { get; set; }

    /// <summary>From forwarding start to the node's response headers (includes a new connection's set-up).</summary>
    public TimeSpan? UpstreamHeaderTime { get; set; }

    /// <summary>TCP and TLS set-up time when this request opened a new node connection; zero on a pooled one.</summary>
    public TimeSpan? UpstreamConnectTime { get; set; }

    public static EdgeRequestInfo Get(HttpContext context) =>
        context.Features.Get<EdgeRequestInfo>() ?? throw new InvalidOperationException("the edge middleware did not run");
}
