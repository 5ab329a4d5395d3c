namespace EdgeProxy.Upstreams;

/// <summary>
/// Per Digital Routing request (a request feature): whether <see cref="NodeRequestTransformer"/> keeps a 503 from the node
/// from the client, so <see cref="NodeForwarder"/> can send the request on. A standby node refuses before doing anything,
/// so any method may go on, provided its body can be sent again (<see cref="ReplayableRequestBody"/>, within its bound).
/// </summary>
internal sealed class StandbyHold(ReplayableRequestBody? body, TimeSpan wait, ActiveNodeTracker tracker, Edge.EdgeRequestInfo info)
{
    /// <summary>False after the first held answer: a request goes on once, a second 503 reaches the client.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>True when the last attempt's 503 was kept from the client.</summary>
    public bool Held { get; private set; }

    /// <summary>Called with the node's status before anything of the answer is copied; true: the answer is dropped.</summary>
    public bool TryHold(int status)
    {
        Held = Enabled && status == StatusCodes.Status503ServiceUnavailable && body?.CanRewind != false && MayGoOn();
        return Held;
    }

    // With no wait allowed, a standby answer goes on only to a node that is healthy now.
    private bool MayGoOn() => wait > TimeSpan.Zero || tracker.Snapshot[info.Node!.Value.Other()].Health == NodeHealth.Healthy;
}
