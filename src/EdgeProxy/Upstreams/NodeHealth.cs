namespace EdgeProxy.Upstreams;

/// <summary>Whether a node may carry Digital Routing traffic, from its probes and transport failures.</summary>
public enum NodeHealth
{
    /// <summary>No probe result yet.</summary>
    Unknown,

    /// <summary>Answered the probe with a code in NGX_CLOUDCONNECT_HEALTHCHECK_RESPONSE_CODES (RISE times in a row after being unhealthy).</summary>
    Healthy,

    /// <summary>FALL failed probes in a row, a transport failure, or (first result) one failed probe.</summary>
    Unhealthy,
}
