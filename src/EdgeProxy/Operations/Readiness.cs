using EdgeProxy.Upstreams;

namespace EdgeProxy.Operations;

/// <summary>
/// What "ready" means, in one place: <c>/readyz</c> answers from it and <c>edgeproxy_ready</c> publishes it, so an
/// alert on the metric keeps matching what a load balancer sees if readiness ever gains a condition.
/// </summary>
public static class Readiness
{
    /// <summary>
    /// Ready: a configuration is loaded (always, once serving), a Digital Routing node is active, and the instance is not
    /// shutting down (SIGTERM's EDGEPROXY_SHUTDOWN_DELAY: a load balancer must stop sending before the listeners close).
    /// </summary>
    public static bool IsReady(ActiveNodeSnapshot snapshot, Hosting.Draining draining) => snapshot.Active is not null && !draining.IsDraining;
}
