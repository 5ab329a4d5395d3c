using System.Net.Sockets;
using System.Security.Authentication;
using EdgeProxy.Edge;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace EdgeProxy.Upstreams;

/// <summary>
/// Turns YARP's bare 502/504 into a JSON body that says why, and logs it once. Runs inside the
/// proxy pipeline, after forwarding.
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
            await EdgeResponses.WriteAsync(context, status, "upstream_failed", $"{node}: {reason}");
        }
    }

    /// <summary>The status and reason for a failure; Expected is true when the reason says it all and a stack trace would be noise.</summary>
    internal static (int Status, string Reason, bool Expected) Describe(IForwarderErrorFeature failure)
    {
        var exception = failure.Exception;
        if (Find<AuthenticationException>(exception) is not null)
        {
            return (StatusCodes.Status502BadGateway, "TLS with the node failed (node certificate not trusted, or the node refused the proxy's client certificate)", true);
        }

        if (Find<SocketException>(exception) is { } socket)
        {
            return (StatusCodes.Status502BadGateway, $"cannot connect to the node ({socket.SocketErrorCode})", true);
        }

        return failure.Error switch
        {
            ForwarderError.RequestTimedOut => (StatusCodes.Status504GatewayTimeout, "the node did not answer in time", true),
            ForwarderError.RequestCanceled => (StatusCodes.Status502BadGateway, "the request was canceled", true),
            ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled => (StatusCodes.Status400BadRequest, "the client did not send the whole request body", true),
            ForwarderError.ResponseBodyDestination or ForwarderError.ResponseHeaders => (StatusCodes.Status502BadGateway, "the node closed the connection or sent an invalid response", false),
            _ => (StatusCodes.Status502BadGateway, $"forwarding failed ({failure.Error})", false),
        };
    }

    private static T? Find<T>(Exception? exception) where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }
}
