using System.Globalization;
using System.Net;
using EdgeProxy.Configuration;
using EdgeProxy.Edge;
using EdgeProxy.Operations;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace EdgeProxy.Upstreams;

/// <summary>
/// The last step on the public listener (docs/traffic.md, "Active node and failover"): picks the node once from
/// <see cref="ActiveNodeTracker.Snapshot"/> (Digital Routing: the active node; DataConn: the publisher unless it is
/// known to be unreachable), answers 503 when there is none, forwards with YARP's <see cref="IHttpForwarder"/>, reports
/// a transport failure to the tracker, retries once on the other node when nothing was sent or the request is
/// idempotent with a replayable body, and answers what is left with a JSON 502/504/503.
/// Hand-written around IHttpForwarder because YARP's cluster model has no RISE, no stickiness, no retry and would hold
/// a second copy of node health; the forwarding itself (streaming, protocol details, errors) is YARP's.
/// </summary>
public sealed class NodeForwarder
{
    /// <summary>The methods forwarded; anything else (TRACE, CONNECT, ...) gets 405.</summary>
    public static readonly IReadOnlyList<string> AllowedMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    private static readonly string Allow = string.Join(", ", AllowedMethods);

    // HTTP/1.1 with keep-alive to the nodes, as Cisco's nginx does.
    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        ActivityTimeout = TimeSpan.FromSeconds(60),
    };

    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _invoker;
    private readonly HttpTransformer _transformer;
    private readonly ActiveNodeTracker _tracker;
    private readonly EdgeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly string _publisherPrefix;
    private readonly string _subscriberPrefix;

    public NodeForwarder(IHttpForwarder forwarder, NodeInvoker invoker, NodeRequestTransformer transformer, ActiveNodeTracker tracker,
        ProxyState state, EdgeMetrics metrics, ILogger<NodeForwarder> logger)
    {
        _forwarder = forwarder;
        _invoker = invoker;
        _transformer = transformer;
        _tracker = tracker;
        _metrics = metrics;
        _logger = logger;
        // The node addresses need a restart to change (docs/configuration.md, property reference).
        var settings = state.Current.Settings;
        _publisherPrefix = settings.Publisher.BaseUri.ToString();
        _subscriberPrefix = settings.Subscriber.BaseUri.ToString();
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!IsAllowed(request.Method))
        {
            context.Response.Headers.Allow = Allow;
            await EdgeResponses.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "method_not_allowed", $"the method {request.Method} is not accepted");
            return;
        }

        var info = EdgeRequestInfo.Get(context);
        var isDataConn = info.Route == EdgeRoute.DataConn;
        var snapshot = _tracker.Snapshot;
        if (Choose(isDataConn, snapshot) is not { } node)
        {
            FailoverLog.NoNodeAvailable(_logger, request.Method, request.Path.Value ?? "", Unavailable(isDataConn, snapshot), info.TrackingId);
            await WriteUnavailableAsync(context, isDataConn, snapshot);
            return;
        }

        var idempotent = TransportFailure.IsIdempotent(request.Method);
        ReplayableRequestBody? body = null;
        if (!isDataConn && idempotent && HasBody(context))
        {
            // An idempotent request may be replayed after its body was (partly) sent, so keep the body (in memory, bounded).
            body = new ReplayableRequestBody(request.Body, ReplayableRequestBody.DefaultLimit);
            request.Body = body;
            context.Response.RegisterForDispose(body);
        }

        if (await ForwardAsync(context, info, node) is not { } failure)
        {
            return;
        }

        var nodeFailure = IsRetryableNodeFailure(context, failure);
        if (nodeFailure && !isDataConn && (TransportFailure.NothingSent(failure) || (idempotent && body?.CanRewind != false))
            && _tracker.Snapshot.Active is { } other && other != node)
        {
            FailoverLog.RetriedOnOtherNode(_logger, request.Method, request.Path.Value ?? "", node.Name(), TransportFailure.Describe(failure.Exception), other.Name(), info.TrackingId);
            // Undo what the failed attempt left: the forwarder refuses a response whose status is already set.
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
            if (body?.CanRewind == true)
            {
                body.Rewind();
            }

            node = other;
            if (await ForwardAsync(context, info, node) is not { } retryFailure)
            {
                return;
            }

            failure = retryFailure;
            nodeFailure = IsRetryableNodeFailure(context, failure);
        }

        snapshot = _tracker.Snapshot;
        if (nodeFailure && TransportFailure.NothingSent(failure) && (isDataConn ? !snapshot.PublisherReachable : snapshot.Active is null))
        {
            FailoverLog.FailedWithNoOtherNode(_logger, request.Method, request.Path.Value ?? "", node.Name(), TransportFailure.Describe(failure.Exception), info.TrackingId);
            context.Features.Set<IForwarderErrorFeature>(null);
            await WriteUnavailableAsync(context, isDataConn, snapshot);
            return;
        }

        await WriteFailureAsync(context, info, node, failure);
    }

    /// <summary>DataConn: the publisher unless it is known to be unreachable; Digital Routing: the active node.</summary>
    internal static NodeRole? Choose(bool isDataConn, ActiveNodeSnapshot snapshot) => isDataConn
        ? snapshot.PublisherReachable ? NodeRole.Publisher : null
        : snapshot.Active;

    /// <summary>For the log: which node is in what state, with addresses and probe results.</summary>
    internal static string Unavailable(bool isDataConn, ActiveNodeSnapshot snapshot) => isDataConn
        ? $"DataConn runs only on the publisher, which is unreachable: {snapshot.Publisher.Describe()}. It is never sent to the subscriber."
        : $"no Digital Routing node is active: {snapshot.DescribeNodes()}";

    /// <summary>For the client: the cause without internal addresses or probe details (those are in the log and on the status listener).</summary>
    internal static string ClientReason(bool isDataConn) => isDataConn
        ? "DataConn runs only on the Cloud Connect publisher, which is unreachable now; it is never sent to the subscriber"
        : "no Cloud Connect node is running Digital Routing now";

    internal static bool IsAllowed(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsPost(method) || HttpMethods.IsHead(method) || HttpMethods.IsPut(method)
        || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method) || HttpMethods.IsOptions(method);

    // Returns the failure, or null when the node's answer reached the client.
    private async Task<IForwarderErrorFeature?> ForwardAsync(HttpContext context, EdgeRequestInfo info, NodeRole node)
    {
        info.Node = node;
        var error = await _forwarder.SendAsync(context, node == NodeRole.Publisher ? _publisherPrefix : _subscriberPrefix, _invoker, RequestConfig, _transformer);
        if (error == ForwarderError.None)
        {
            return null;
        }

        var failure = context.Features.Get<IForwarderErrorFeature>()!;
        if (TransportFailure.IsNodeFailure(error))
        {
            // Passive health: the node is unhealthy at once and needs RISE good probes to come back.
            _tracker.RecordTransportFailure(node, TransportFailure.Describe(failure.Exception));
        }

        return failure;
    }

    private static bool IsRetryableNodeFailure(HttpContext context, IForwarderErrorFeature failure) =>
        !context.Response.HasStarted && TransportFailure.IsNodeFailure(failure.Error);

    private Task WriteFailureAsync(HttpContext context, EdgeRequestInfo info, NodeRole node, IForwarderErrorFeature failure)
    {
        var (status, reason, expected) = ForwardingFailure.Describe(failure);
        _metrics.UpstreamFailures.WithLabels(node.Name(), status.ToString(CultureInfo.InvariantCulture)).Inc();
        UpstreamLog.ForwardingFailed(_logger, node.Name(), failure.Error.ToString(), reason, status, info.TrackingId, expected ? null : failure.Exception);
        return context.Response.HasStarted
            ? Task.CompletedTask
            : EdgeResponses.WriteAsync(context, status, "upstream_failed", ForwardingFailure.ClientReason(failure));
    }

    // Retry-After: the soonest a node that is down now can pass RISE probes.
    private static Task WriteUnavailableAsync(HttpContext context, bool isDataConn, ActiveNodeSnapshot snapshot) =>
        EdgeResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
            isDataConn ? "publisher_unavailable" : "no_active_node", ClientReason(isDataConn), snapshot.Rules.RecoveryTime);

    private static bool HasBody(HttpContext context) =>
        context.Request.ContentLength > 0 || (context.Request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);
}
