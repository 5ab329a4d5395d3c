using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using Yarp.ReverseProxy.Forwarder;

namespace EdgeProxy.Upstreams;

/// <summary>
/// Reads YARP forwarding errors and HttpClient exceptions as node transport failures. YARP reports what failed
/// (<see cref="ForwarderError"/>) but not whether any byte reached the node, which decides whether a request may be replayed.
/// </summary>
public static class TransportFailure
{
    /// <summary>True when the node (not the client, not EdgeProxy) failed: refused, reset, TLS failure, timeout.</summary>
    public static bool IsNodeFailure(ForwarderError error) => error is ForwarderError.Request or ForwarderError.RequestTimedOut
        or ForwarderError.RequestBodyDestination or ForwarderError.ResponseBodyDestination
        or ForwarderError.UpgradeRequestDestination or ForwarderError.UpgradeResponseDestination;

    /// <summary>
    /// True when the request failed while the connection was being opened (TCP connect, TLS handshake, connect
    /// timeout), so no byte of it reached the node and replaying it elsewhere cannot duplicate anything.
    /// </summary>
    public static bool NothingSent(IForwarderErrorFeature failure) =>
        failure.Error is ForwarderError.Request or ForwarderError.RequestTimedOut && FailedToConnect(failure.Exception);

    /// <summary>True for exceptions SocketsHttpHandler raises before a request is written (its ConnectCallback included).</summary>
    public static bool FailedToConnect(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.NameResolutionError }:
                    return true;
                case OperationCanceledException { InnerException: TimeoutException }:
                    // SocketsHttpHandler.ConnectTimeout; YARP's own request timeout has no TimeoutException inside.
                    return true;
            }
        }

        return false;
    }

    /// <summary>True for methods RFC 9110 calls idempotent and EdgeProxy forwards: a replay cannot do harm.</summary>
    public static bool IsIdempotent(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method) || HttpMethods.IsOptions(method);

    /// <summary>A short cause for logs and bodies, e.g. "connection refused" or "node certificate rejected (TLS)".</summary>
    public static string Describe(Exception? exception)
    {
        if (Find<AuthenticationException>(exception) is not null)
        {
            return "TLS with the node failed (node certificate not trusted, or the node refused the proxy's client certificate)";
        }

        if (Find<SocketException>(exception) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused (ConnectionRefused)",
                SocketError.ConnectionReset => FailedToConnect(exception) ? "connection reset while connecting (ConnectionReset)" : "connection reset by the node (ConnectionReset)",
                SocketError.TimedOut => "connection timed out (TimedOut)",
                _ => $"cannot connect to the node ({socket.SocketErrorCode})",
            };
        }

        if (Find<OperationCanceledException>(exception) is { } canceled)
        {
            return canceled.InnerException is TimeoutException ? "connection timed out" : "no answer in time";
        }

        if (Find<HttpRequestException>(exception) is { } http)
        {
            return http.HttpRequestError switch
            {
                HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError => "the node closed the connection during the TLS handshake",
                HttpRequestError.ResponseEnded => "the node closed the connection before answering",
                HttpRequestError.NameResolutionError => "the node name does not resolve",
                HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError => "the node sent an invalid response",
                _ => "the connection to the node failed",
            };
        }

        return exception is IOException ? "the connection to the node failed" : exception?.GetType().Name ?? "unknown failure";
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
