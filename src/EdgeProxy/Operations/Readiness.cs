using EdgeProxy.Upstreams;

namespace EdgeProxy.Operations;

/// <summary>
/// What "ready" means, in one place: <c>/readyz</c> answers from it and <c>edgeproxy_ready</c> publishes it, so an
/// alert on the metric keeps matching what a load balancer sees if readiness ever gains a condition.
/// </summary>
public static class Readiness
{
    /// <summary>Ready: a configuration is loaded (always, once serving) and a Digital Routing node is active.</summary>
    public static bool IsReady(ActiveNodeSnapshot snapshot) => snapshot.Active is not null;
}
