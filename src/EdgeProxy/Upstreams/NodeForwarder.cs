using System.Diagnostics;
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
/// idempotent with a replayable body, and answers what is left with a JSON 502/504/503. Digital Routing only: with no
/// active node a request waits up to EDGEPROXY_ACTIVE_NODE_WAIT for one (<see cref="ActiveNodeWait"/>), and a 503 from
/// the node (a standby answer) is a signal: the tracker and an immediate probe round learn of it, and the request, any
/// method, goes on once to the node active then (<see cref="StandbyHold"/>).
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
    private readonly IProbeScheduler _prober;
    private readonly ActiveNodeWait _wait;
    private readonly EdgeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly string _publisherPrefix;
    private readonly string _subscriberPrefix;

    public NodeForwarder(IHttpForwarder forwarder, NodeInvoker invoker, NodeRequestTransformer transformer, ActiveNodeTracker tracker,
        IProbeScheduler prober, ActiveNodeWait wait, ProxyState state, EdgeMetrics metrics, ILogger<NodeForwarder> logger)
    {
        _prober = prober;
        _wait = wait;
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
        var wait = isDataConn ? TimeSpan.Zero : info.Configuration.Settings.ActiveNodeWait;
        var snapshot = _tracker.Snapshot;
        var node = Choose(isDataConn, snapshot);
        if (node is null && !isDataConn)
        {
            // No active node now (a switch-over under way, or both down): wait a bounded time for one.
            var started = Stopwatch.GetTimestamp();
            if (!TryWait(await WaitForActiveAsync(context, wait), out node, out snapshot))
            {
                return;
            }

            if (node is { } found)
            {
                FailoverLog.WaitedForActiveNode(_logger, request.Method, request.Path.Value ?? "", Stopwatch.GetElapsedTime(started).TotalMilliseconds, found.Name(), info.TrackingId);
            }
        }

        if (node is null)
        {
            FailoverLog.NoNodeAvailable(_logger, request.Method, request.Path.Value ?? "", Unavailable(isDataConn, snapshot), info.TrackingId);
            await WriteUnavailableAsync(context, isDataConn, snapshot);
            return;
        }

        var idempotent = TransportFailure.IsIdempotent(request.Method);
        ReplayableRequestBody? body = null;
        if (!isDataConn && HasBody(context))
        {
            // Kept (in memory, bounded) so the request can go to the other node after a standby answer (any method) or
            // after a transport failure that may have sent part of it (idempotent methods only).
            body = new ReplayableRequestBody(request.Body, ReplayableRequestBody.DefaultLimit);
            request.Body = body;
            context.Response.RegisterForDispose(body);
        }

        StandbyHold? hold = null;
        if (!isDataConn)
        {
            hold = new StandbyHold(body, wait, _tracker, info);
            context.Features.Set(hold);
        }

        var failure = await ForwardAsync(context, info, node.Value, isDataConn);
        if (hold is { Held: true })
        {
            var standby = node.Value;
            hold.Enabled = false;
            var started = Stopwatch.GetTimestamp();
            if (!TryWait(await WaitForActiveAsync(context, wait), out node, out snapshot))
            {
                return;
            }

            if (node is null)
            {
                FailoverLog.StandbyAnswerNoOtherNode(_logger, request.Method, request.Path.Value ?? "", standby.Name(), wait.TotalMilliseconds, info.TrackingId);
                await WriteUnavailableAsync(context, isDataConn: false, snapshot);
                return;
            }

            FailoverLog.StandbyAnswerReplayed(_logger, request.Method, request.Path.Value ?? "", standby.Name(), node.Value.Name(), Stopwatch.GetElapsedTime(started).TotalMilliseconds, info.TrackingId);
            ResetForAnotherAttempt(context, body);
            failure = await ForwardAsync(context, info, node.Value, isDataConn);
        }

        if (failure is null)
        {
            return;
        }

        var nodeFailure = IsRetryableNodeFailure(context, failure);
        var nothingSent = TransportFailure.NothingSent(failure);
        if (nodeFailure && !isDataConn && (nothingSent || (idempotent && body?.CanRewind != false)))
        {
            // The other node if it is active; with none active (e.g. the standby is taking over from the node that just
            // died), wait for one. The failed node itself only if nothing reached it.
            var failed = node.Value;
            var other = _tracker.Snapshot.Active;
            if (other is null || other == failed)
            {
                if (!TryWait(await WaitForActiveAsync(context, wait, s => s.Active is { } a && (a != failed || nothingSent)), out other, out _))
                {
                    return;
                }
            }

            if (other is { } next && (next != failed || nothingSent))
            {
                FailoverLog.RetriedOnOtherNode(_logger, request.Method, request.Path.Value ?? "", failed.Name(), TransportFailure.Describe(failure.Exception), next.Name(), info.TrackingId);
                ResetForAnotherAttempt(context, body);
                node = next;
                if (await ForwardAsync(context, info, next, isDataConn) is not { } retryFailure)
                {
                    return;
                }

                failure = retryFailure;
                nodeFailure = IsRetryableNodeFailure(context, failure);
            }
        }

        snapshot = _tracker.Snapshot;
        if (nodeFailure && TransportFailure.NothingSent(failure) && (isDataConn ? !snapshot.PublisherReachable : snapshot.Active is null))
        {
            FailoverLog.FailedWithNoOtherNode(_logger, request.Method, request.Path.Value ?? "", node.Value.Name(), TransportFailure.Describe(failure.Exception), info.TrackingId);
            context.Features.Set<IForwarderErrorFeature>(null);
            await WriteUnavailableAsync(context, isDataConn, snapshot);
            return;
        }

        await WriteFailureAsync(context, info, node.Value, failure);
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

    // Returns the failure, or null when the node's answer reached the client (or was held back as a standby answer).
    private async Task<IForwarderErrorFeature?> ForwardAsync(HttpContext context, EdgeRequestInfo info, NodeRole node, bool isDataConn)
    {
        info.Node = node;
        info.UpstreamStatus = null;
        var error = await _forwarder.SendAsync(context, node == NodeRole.Publisher ? _publisherPrefix : _subscriberPrefix, _invoker, RequestConfig, _transformer);
        if (error == ForwarderError.None)
        {
            if (!isDataConn && info.UpstreamStatus == StatusCodes.Status503ServiceUnavailable)
            {
                // A standby answer: the node is not active. Traffic moves now if the other node is healthy, and both are
                // probed at once rather than at the next interval.
                _tracker.RecordStandbyAnswer(node);
                _ = _prober.ProbeNow();
            }

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

    // Null: no node became active in time (or no wait); false: the client went away while waiting.
    private async Task<(bool ClientStayed, ActiveNodeSnapshot Snapshot, NodeRole? Node)> WaitForActiveAsync(HttpContext context, TimeSpan wait,
        Func<ActiveNodeSnapshot, bool>? until = null)
    {
        try
        {
            var reached = await _wait.WaitAsync(until ?? (s => s.Active is not null), wait, context.RequestAborted);
            return (true, reached ?? _tracker.Snapshot, reached?.Active);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return (false, _tracker.Snapshot, null);
        }
    }

    private static bool TryWait((bool ClientStayed, ActiveNodeSnapshot Snapshot, NodeRole? Node) outcome, out NodeRole? node, out ActiveNodeSnapshot snapshot)
    {
        (node, snapshot) = (outcome.Node, outcome.Snapshot);
        return outcome.ClientStayed;
    }

    // Undo what the previous attempt left: the forwarder refuses a response whose status is already set.
    private static void ResetForAnotherAttempt(HttpContext context, ReplayableRequestBody? body)
    {
        context.Features.Set<IForwarderErrorFeature>(null);
        context.Response.StatusCode = StatusCodes.Status200OK;
        if (body?.CanRewind == true)
        {
            body.Rewind();
        }
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
