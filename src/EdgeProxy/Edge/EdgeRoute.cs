namespace EdgeProxy.Edge;

/// <summary>Where a request path leads; also the <c>route</c> field of the access log.</summary>
public enum EdgeRoute
{
    /// <summary>Digital Routing: forwarded to the active node.</summary>
    Dr,

    /// <summary>DataConn user-sync callbacks: forwarded to the publisher only.</summary>
    DataConn,

    /// <summary>An internal Cloud Connect endpoint: 404 without contacting a node.</summary>
    Blocked,

    /// <summary>Not routed: 404 without contacting a node.</summary>
    NotFound,

    /// <summary>A path that could be read differently by the node (empty segments, ';', '\', encoded '/'): 400.</summary>
    BadPath,
}
