using EdgeProxy.Edge;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace EdgeProxy.Upstreams;

/// <summary>
/// Turns YARP's bare 502/504 into a JSON body that says why, and logs it once. Runs inside the
/// proxy pipeline, after forwarding (and after <see cref="FailoverMiddleware"/> had its chance to retry).
/// </summary>
public static class ForwarderErrorResponder
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        await next();
        var failure = context.Features.Get<IForwarderErrorFeature>();
        if (failure is null)
        {
            return;
        }

        var (status, reason, expected) = Describe(failure);
        var node = context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination?.DestinationId ?? "node";
        context.RequestServices.GetRequiredService<Operations.EdgeMetrics>().UpstreamFailures.WithLabels(node, status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ForwarderErrorResponder));
        UpstreamLog.ForwardingFailed(logger, node, failure.Error.ToString(), reason, status, context.Features.Get<EdgeRequestInfo>()?.TrackingId,
            expected ? null : failure.Exception);
        if (!context.Response.HasStarted)
        {
            await EdgeResponses.WriteAsync(context, status, "upstream_failed", ClientReason(failure));
        }
    }

    /// <summary>The status and reason for a failure; Expected is true when the reason says it all and a stack trace would be noise.</summary>
    internal static (int Status, string Reason, bool Expected) Describe(IForwarderErrorFeature failure)
    {
        var notReplayed = NotReplayed(failure);
        return failure.Error switch
        {
            ForwarderError.Request when failure.Exception is not null =>
                (StatusCodes.Status502BadGateway, TransportFailure.Describe(failure.Exception) + notReplayed, true),
            ForwarderError.RequestTimedOut => (StatusCodes.Status504GatewayTimeout, "the node did not answer in time" + notReplayed, true),
            ForwarderError.RequestCanceled => (StatusCodes.Status502BadGateway, "the request was canceled", true),
            ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled => (StatusCodes.Status400BadRequest, ClientBodyIncomplete, true),
            ForwarderError.RequestBodyDestination or ForwarderError.ResponseBodyDestination =>
                (StatusCodes.Status502BadGateway, "the node closed the connection" + notReplayed, true),
            ForwarderError.ResponseHeaders => (StatusCodes.Status502BadGateway, "the node sent an invalid response", false),
            ForwarderError.NoAvailableDestinations => (StatusCodes.Status503ServiceUnavailable, "no node is available", true),
            _ => (StatusCodes.Status502BadGateway, $"forwarding failed ({failure.Error})", false),
        };
    }

    /// <summary>What the client is told: the kind of failure and whether it may have been processed, never which node, where, or why TLS failed.</summary>
    internal static string ClientReason(IForwarderErrorFeature failure) => failure.Error switch
    {
        ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled => ClientBodyIncomplete,
        ForwarderError.RequestTimedOut => "the Cloud Connect node did not answer in time" + NotReplayed(failure),
        _ => "the Cloud Connect node did not complete the request" + NotReplayed(failure),
    };

    private const string ClientBodyIncomplete = "the client did not send the whole request body";

    private static string NotReplayed(IForwarderErrorFeature failure) =>
        TransportFailure.NothingSent(failure) ? "" : "; the request may have reached the node and was not replayed";
}
