namespace EdgeProxy.Upstreams;

/// <summary>The two Cloud Connect nodes.</summary>
public enum NodeRole
{
    /// <summary><c>NGX_CLOUDCONNECT_HOSTNAME</c>: runs DataConn always and Digital Routing when active.</summary>
    Publisher,

    /// <summary><c>NGX_CLOUDCONNECT_FAILOVER_HOSTNAME</c>: runs Digital Routing when active.</summary>
    Subscriber,
}
