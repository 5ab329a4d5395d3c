using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using EdgeProxy.Upstreams;
using Yarp.ReverseProxy.Forwarder;

namespace EdgeProxy.Tests.Upstreams;

public sealed class TransportFailureTests
{
    public static TheoryData<Exception, bool> ConnectFailures => new()
    {
        { new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)), true },
        { new HttpRequestException(HttpRequestError.SecureConnectionError, "tls", new AuthenticationException("untrusted")), true },
        { new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"), true },
        { new TaskCanceledException("connect", new TimeoutException("The connection attempt timed out")), true },
        { new HttpRequestException(HttpRequestError.ResponseEnded, "ended", new IOException("reset", new SocketException((int)SocketError.ConnectionReset))), false },
        { new HttpRequestException(HttpRequestError.Unknown, "io", new IOException("broken pipe")), false },
        { new TaskCanceledException("activity timeout"), false },
    };

    [Theory]
    [MemberData(nameof(ConnectFailures))]
    public void FailedToConnect_Exception_TellsWhetherAnyByteCouldHaveBeenSent(Exception exception, bool beforeAnyByte)
    {
        Assert.Equal(beforeAnyByte, TransportFailure.FailedToConnect(exception));
    }

    [Theory]
    [InlineData(ForwarderError.Request, true)]
    [InlineData(ForwarderError.RequestTimedOut, true)]
    [InlineData(ForwarderError.ResponseBodyDestination, true)]
    [InlineData(ForwarderError.RequestBodyDestination, true)]
    [InlineData(ForwarderError.RequestCanceled, false)]
    [InlineData(ForwarderError.RequestBodyClient, false)]
    [InlineData(ForwarderError.ResponseBodyClient, false)]
    [InlineData(ForwarderError.RequestCreation, false)]
    [InlineData(ForwarderError.NoAvailableDestinations, false)]
    public void IsNodeFailure_ForwarderError_OnlyWhatTheNodeCaused(ForwarderError error, bool nodeFailure)
    {
        Assert.Equal(nodeFailure, TransportFailure.IsNodeFailure(error));
    }

    [Fact]
    public void NothingSent_ConnectFailureOnResponseBody_IsFalse()
    {
        // A failure while the response streamed in happened after the request was sent, whatever the exception says.
        var failure = new Failure(ForwarderError.ResponseBodyDestination, new HttpRequestException(HttpRequestError.ConnectionError, "x"));

        Assert.False(TransportFailure.NothingSent(failure));
        Assert.True(TransportFailure.NothingSent(failure with { Error = ForwarderError.Request }));
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("PUT", true)]
    [InlineData("DELETE", true)]
    [InlineData("OPTIONS", true)]
    [InlineData("POST", false)]
    [InlineData("PATCH", false)]
    public void IsIdempotent_Method_FollowsRfc9110(string method, bool idempotent)
    {
        Assert.Equal(idempotent, TransportFailure.IsIdempotent(method));
    }

    [Fact]
    public void Describe_RefusedAndTls_NameTheCause()
    {
        Assert.Equal("connection refused (ConnectionRefused)",
            TransportFailure.Describe(new HttpRequestException(HttpRequestError.ConnectionError, "x", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.StartsWith("TLS with the node failed",
            TransportFailure.Describe(new HttpRequestException(HttpRequestError.ConnectionError, "x", new AuthenticationException("untrusted"))), StringComparison.Ordinal);
        Assert.Equal("no answer in time", TransportFailure.Describe(new TaskCanceledException()));
    }

    private sealed record Failure(ForwarderError Error, Exception? Exception) : IForwarderErrorFeature;
}
