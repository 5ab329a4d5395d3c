using EdgeProxy.Edge;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace EdgeProxy.Upstreams;

/// <summary>
/// Proxy-pipeline step around forwarding (DESIGN.md section 4):
/// <list type="bullet">
/// <item>no available node: 503 with Retry-After and the cause, nothing sent;</item>
/// <item>a Digital Routing request that failed on the node with a transport failure is retried once on the node that is
/// active now, if it failed before any byte reached the node or is idempotent; a non-idempotent request that may have
/// reached the node is never replayed;</item>
/// <item>a request that reached no node and has no other node to go to: 503 with the cause, like the first case.</item>
/// </list>
/// YARP has no retry of its own, so this is hand-written; it re-enters YARP's forwarder with the other destination.
/// </summary>
public sealed class FailoverMiddleware(RequestDelegate next, ActiveNodeTracker tracker, ILogger<FailoverMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var isDataConn = string.Equals(proxy.Cluster.Config.ClusterId, YarpConfigBuilder.DataConnCluster, StringComparison.OrdinalIgnoreCase);
        if (proxy.AvailableDestinations.Count == 0)
        {
            var current = tracker.Snapshot;
            FailoverLog.NoNodeAvailable(logger, context.Request.Method, context.Request.Path.Value ?? "", Unavailable(isDataConn, current), TrackingId(context));
            await WriteUnavailableAsync(context, isDataConn, current);
            return;
        }

        var idempotent = TransportFailure.IsIdempotent(context.Request.Method);
        if (!isDataConn && idempotent && HasBody(context.Request))
        {
            // An idempotent request may be replayed after its body was (partly) sent, so keep the body to send it again.
            context.Request.EnableBuffering();
        }

        await next(context);

        if (!TryGetNodeFailure(context, out var failure, out var failed))
        {
            return;
        }

        // The passive health check (inside this step) has already told the tracker, so Active is the node to use now.
        var nothingSent = TransportFailure.NothingSent(failure);
        if (!isDataConn && (nothingSent || idempotent) && tracker.Snapshot.Active is { } active
            && !string.Equals(active.DestinationId(), failed.DestinationId, StringComparison.OrdinalIgnoreCase)
            && Find(proxy.AllDestinations, active) is { } other)
        {
            FailoverLog.RetriedOnOtherNode(logger, context.Request.Method, context.Request.Path.Value ?? "", failed.DestinationId,
                TransportFailure.Describe(failure.Exception), other.DestinationId, TrackingId(context));
            PrepareRetry(context, proxy, other);
            await next(context);
            if (!TryGetNodeFailure(context, out failure, out failed))
            {
                return;
            }

            nothingSent = TransportFailure.NothingSent(failure);
        }

        var snapshot = tracker.Snapshot;
        if (nothingSent && (isDataConn ? !snapshot.PublisherReachable : snapshot.Active is null))
        {
            FailoverLog.FailedWithNoOtherNode(logger, context.Request.Method, context.Request.Path.Value ?? "", failed.DestinationId,
                TransportFailure.Describe(failure.Exception), TrackingId(context));
            context.Features.Set<IForwarderErrorFeature>(null);
            await WriteUnavailableAsync(context, isDataConn, snapshot);
        }

        // Anything else stays a forwarding error, answered 502/504 by ForwarderErrorResponder.
    }

    internal static string Unavailable(bool isDataConn, ActiveNodeSnapshot snapshot) => isDataConn
        ? $"DataConn runs only on the publisher, which is unreachable: {snapshot.Publisher.Describe()}. It is never sent to the subscriber."
        : $"no Digital Routing node is active: {snapshot.DescribeNodes()}";

    // Retry-After: the soonest a node that is down now can pass RISE probes.
    private static Task WriteUnavailableAsync(HttpContext context, bool isDataConn, ActiveNodeSnapshot snapshot) =>
        EdgeResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
            isDataConn ? "publisher_unavailable" : "no_active_node", Unavailable(isDataConn, snapshot), snapshot.Rules.RecoveryTime);

    private static bool TryGetNodeFailure(HttpContext context, out IForwarderErrorFeature failure, out DestinationState failed)
    {
        failure = context.Features.Get<IForwarderErrorFeature>()!;
        failed = context.GetReverseProxyFeature().ProxiedDestination!;
        return failure is not null && failed is not null && !context.Response.HasStarted && TransportFailure.IsNodeFailure(failure.Error);
    }

    private static void PrepareRetry(HttpContext context, IReverseProxyFeature proxy, DestinationState other)
    {
        // Undo what the failed attempt left: YARP refuses to forward once a status other than 200 is set.
        context.Features.Set<IForwarderErrorFeature>(null);
        context.Response.StatusCode = StatusCodes.Status200OK;
        proxy.AvailableDestinations = [other];
        proxy.ProxiedDestination = null;
        if (context.Request.Body.CanSeek)
        {
            context.Request.Body.Position = 0;
        }
    }

    private static DestinationState? Find(IReadOnlyList<DestinationState> destinations, NodeRole node) =>
        destinations.FirstOrDefault(d => string.Equals(d.DestinationId, node.DestinationId(), StringComparison.OrdinalIgnoreCase));

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);

    private static string? TrackingId(HttpContext context) => context.Features.Get<EdgeRequestInfo>()?.TrackingId;
}
