using Yarp.ReverseProxy.Forwarder;

namespace EdgeProxy.Upstreams;

/// <summary>
/// What EdgeProxy answers and logs for a forwarding failure that no retry or 503 took care of: YARP's bare 502/504
/// becomes a JSON body that says why, without naming the node, its address or a TLS detail (those go to the log).
/// </summary>
public static class ForwardingFailure
{
    private const string ClientBodyIncomplete = "the client did not send the whole request body";

    /// <summary>The status and reason for a failure; Expected is true when the reason says it all and a stack trace would be noise.</summary>
    public static (int Status, string Reason, bool Expected) Describe(IForwarderErrorFeature failure)
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
            _ => (StatusCodes.Status502BadGateway, $"forwarding failed ({failure.Error})", false),
        };
    }

    /// <summary>What the client is told: the kind of failure and whether it may have been processed, never which node, where, or why TLS failed.</summary>
    public static string ClientReason(IForwarderErrorFeature failure) => failure.Error switch
    {
        ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled => ClientBodyIncomplete,
        ForwarderError.RequestTimedOut => "the Cloud Connect node did not answer in time" + NotReplayed(failure),
        _ => "the Cloud Connect node did not complete the request" + NotReplayed(failure),
    };

    private static string NotReplayed(IForwarderErrorFeature failure) =>
        TransportFailure.NothingSent(failure) ? "" : "; the request may have reached the node and was not replayed";
}
