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
        ReplayableRequestBody? body = null;
        if (!isDataConn && idempotent && HasBody(context.Request))
        {
            // An idempotent request may be replayed after its body was (partly) sent, so keep the body (in memory, bounded).
            body = new ReplayableRequestBody(context.Request.Body, ReplayableRequestBody.DefaultLimit);
            context.Request.Body = body;
            context.Response.RegisterForDispose(body);
        }

        await next(context);

        if (!TryGetNodeFailure(context, out var failure, out var failed))
        {
            return;
        }

        // The passive health check (inside this step) has already told the tracker, so Active is the node to use now.
        var nothingSent = TransportFailure.NothingSent(failure);
        if (!isDataConn && (nothingSent || (idempotent && body?.CanRewind != false)) && tracker.Snapshot.Active is { } active
            && !string.Equals(active.DestinationId(), failed.DestinationId, StringComparison.OrdinalIgnoreCase)
            && Find(proxy.AllDestinations, active) is { } other)
        {
            FailoverLog.RetriedOnOtherNode(logger, context.Request.Method, context.Request.Path.Value ?? "", failed.DestinationId,
                TransportFailure.Describe(failure.Exception), other.DestinationId, TrackingId(context));
            PrepareRetry(context, proxy, other, body);
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

    /// <summary>For the log: which node is in what state, with addresses and probe results.</summary>
    internal static string Unavailable(bool isDataConn, ActiveNodeSnapshot snapshot) => isDataConn
        ? $"DataConn runs only on the publisher, which is unreachable: {snapshot.Publisher.Describe()}. It is never sent to the subscriber."
        : $"no Digital Routing node is active: {snapshot.DescribeNodes()}";

    /// <summary>For the client: the cause without internal addresses or probe details (those are in the log and on the status listener).</summary>
    internal static string ClientReason(bool isDataConn) => isDataConn
        ? "DataConn runs only on the Cloud Connect publisher, which is unreachable now; it is never sent to the subscriber"
        : "no Cloud Connect node is running Digital Routing now";

    // Retry-After: the soonest a node that is down now can pass RISE probes.
    private static Task WriteUnavailableAsync(HttpContext context, bool isDataConn, ActiveNodeSnapshot snapshot) =>
        EdgeResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
            isDataConn ? "publisher_unavailable" : "no_active_node", ClientReason(isDataConn), snapshot.Rules.RecoveryTime);

    private static bool TryGetNodeFailure(HttpContext context, out IForwarderErrorFeature failure, out DestinationState failed)
    {
        failure = context.Features.Get<IForwarderErrorFeature>()!;
        failed = context.GetReverseProxyFeature().ProxiedDestination!;
        return failure is not null && failed is not null && !context.Response.HasStarted && TransportFailure.IsNodeFailure(failure.Error);
    }

    private static void PrepareRetry(HttpContext context, IReverseProxyFeature proxy, DestinationState other, ReplayableRequestBody? body)
    {
        // Undo what the failed attempt left: YARP refuses to forward once a status other than 200 is set.
        context.Features.Set<IForwarderErrorFeature>(null);
        context.Response.StatusCode = StatusCodes.Status200OK;
        proxy.AvailableDestinations = [other];
        proxy.ProxiedDestination = null;
        if (body?.CanRewind == true)
        {
            body.Rewind();
        }
    }

    private static DestinationState? Find(IReadOnlyList<DestinationState> destinations, NodeRole node) =>
        destinations.FirstOrDefault(d => string.Equals(d.DestinationId, node.DestinationId(), StringComparison.OrdinalIgnoreCase));

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);

    private static string? TrackingId(HttpContext context) => context.Features.Get<EdgeRequestInfo>()?.TrackingId;
}
