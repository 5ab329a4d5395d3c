namespace CloudConnectSimulator;

/// <summary>How a simulated Cloud Connect node behaves towards its HTTPS clients.</summary>
public enum NodeMode
{
    /// <summary>Digital Routing is active on this node: ping answers 200 and the task API works.</summary>
    Active,

    /// <summary>Digital Routing is standby: ping and the task API answer 503; DataConn still works.</summary>
    Standby,

    /// <summary>The node looks crashed: HTTPS connections are accepted and dropped before TLS.</summary>
    Dead,
}
