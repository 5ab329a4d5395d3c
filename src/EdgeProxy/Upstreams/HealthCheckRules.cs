using EdgeProxy.Configuration;

namespace EdgeProxy.Upstreams;

/// <summary>The Cisco health-check settings the active-node logic counts with (NGX_CLOUDCONNECT_HEALTHCHECK_*).</summary>
/// <param name="Rise">Consecutive good probes that make an unhealthy node healthy.</param>
/// <param name="Fall">Consecutive failed probes that make a healthy node unhealthy.</param>
/// <param name="Codes">Status codes of a good probe.</param>
/// <param name="Interval">Time between probe rounds.</param>
/// <param name="Timeout">Time a probe may take.</param>
public sealed record HealthCheckRules(int Rise, int Fall, IReadOnlySet<int> Codes, TimeSpan Interval, TimeSpan Timeout)
{
    public static HealthCheckRules From(EdgeProxySettings settings) => new(
        settings.HealthCheckRise, settings.HealthCheckFall, settings.HealthCheckCodes, settings.HealthCheckInterval, settings.HealthCheckTimeout);

    /// <summary>Same settings (the code set compared by content).</summary>
    public bool SameAs(HealthCheckRules other) =>
        Rise == other.Rise && Fall == other.Fall && Interval == other.Interval && Timeout == other.Timeout && Codes.SetEquals(other.Codes);

    /// <summary>The soonest a node that is down now can be proven healthy: RISE probe intervals.</summary>
    public TimeSpan RecoveryTime => Interval * Rise;
}
