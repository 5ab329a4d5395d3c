using System.Diagnostics;
using System.Net.Security;
using System.Text;
using EdgeProxy.Edge;
using EdgeProxy.IntegrationTests.Infrastructure;
using EdgeProxy.Operations;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Events;

namespace EdgeProxy.IntegrationTests.Edge;

/// <summary>Requests Kestrel rejects itself, sent by a stranger (127.0.0.9) over real TLS: one blocking-log line each, rate-bounded.</summary>
public sealed class ProtocolRejectionTests : IAsyncLifetime
{
    private const string Stranger = "127.0.0.9";
    private const string Head = "Host: edgeproxy.lab.local\r\n";

    private ProxyHarness _lab = null!;

    public static TheoryData<string, string, string, string> Malformed => new()
    {
        { "POST /drapi/v1/tasks HTTP/1.1\r\n" + Head + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nab", "Multiple Content-Length headers", "400", "bad_request" },
        { "POST /drapi/v1/tasks HTTP/1.1\r\n" + Head + "Transfer-Encoding: gzip\r\n\r\nab", "message body length cannot be determined", "400", "bad_request" },
        { "GET /drapi/v1/ping\r\n" + Head + "\r\n", "Invalid request line", "400", "bad_request" },
        { "GET /drapi/v1/ping HTTP/1.1\r\n" + Head + "X-Big: " + new string('a', 40 * 1024) + "\r\n\r\n", "Request headers too long", "431", "headers_too_large" },
        { "GET /drapi/v1/ping?" + new string('a', 9 * 1024) + " HTTP/1.1\r\n" + Head + "\r\n", "Request line too long", "414", "uri_too_long" },
        { "GET /drapi/v1/ping HTTP/1.2\r\n" + Head + "\r\n", "Unrecognized HTTP version", "505", "http_version_not_supported" },
    };

    public async Task InitializeAsync() => _lab = await ProxyHarness.StartAsync(o =>
    {
        o.WaitForFirstProbes = false;
        o.ExtraEnv.Add("NGX_CLIENT_HEADER_TIMEOUT=1s");
    });

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task MalformedRequest_FromAStranger_IsOneBlockingLineWithPeerAndReason(string request, string reason, string status, string kind)
    {
        var response = await SendAsync(request);

        Assert.StartsWith("HTTP/1.1 " + status, response, StringComparison.Ordinal);
        var line = Assert.Single(await _lab.Logs.WaitForEventIdAsync(3104, 1));
        AssertRejection(line, reason, status, kind);
        Assert.Equal(1, Rejections(kind));
        Assert.Empty(ProxyHarness.Proxied(_lab.Publisher));
        Assert.Empty(ProxyHarness.Proxied(_lab.Subscriber));
        Assert.Empty(_lab.Logs.WithEventId(4001)); // nothing reached EdgeProxy's pipeline
    }

    [Fact]
    public async Task HeadersNotFinishedInTime_AreOneBlockingLineWithPeerAndTimeout()
    {
        await using var tls = await RawHttps.ConnectAsync(_lab.PublicUri, Stranger);
        await tls.WriteAsync(Encoding.ASCII.GetBytes("GET /drapi/v1/ping HTTP/1.1\r\n" + Head));

        var line = Assert.Single(await _lab.Logs.WaitForEventIdAsync(3104, 1));

        AssertRejection(line, "request headers timed out", "408", "request_timeout");
        Assert.Empty(ProxyHarness.Proxied(_lab.Publisher));
    }

    [Fact]
    public async Task Http2ProtocolError_FromAStranger_IsOneBlockingLineWithPeerAndReason()
    {
        await using var tls = await RawHttps.ConnectAsync(_lab.PublicUri, Stranger, protocol: SslApplicationProtocol.Http2);
        Assert.Equal(SslApplicationProtocol.Http2, tls.NegotiatedApplicationProtocol);
        // The connection preface, then a SETTINGS frame of 5 bytes (a multiple of 6 is required): a connection error.
        byte[] settings = [0, 0, 5, 0x4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] preface = [.. Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), .. settings];
        await tls.WriteAsync(preface);

        var line = Assert.Single(await _lab.Logs.WaitForEventIdAsync(3104, 1));

        AssertRejection(line, "SETTINGS", "-", "http2_connection_error");
        Assert.Empty(ProxyHarness.Proxied(_lab.Publisher));
    }

    [Fact]
    public async Task Flood_OfBadRequests_IsLoggedWithinTheBound_AndTheRestSummarised()
    {
        const int Requests = 200;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (_, _) => await SendAsync("GET /drapi/v1/ping HTTP/1.2\r\n" + Head + "\r\n"));
        var seconds = clock.Elapsed.TotalSeconds;

        // Every rejection is either a line or counted in a summary line; the last summary comes on the bound's own clock.
        Assert.True(await Eventually.TrueAsync(() => Lines() + Suppressed() == Requests, TimeSpan.FromSeconds(10)),
            $"{Lines()} lines + {Suppressed()} suppressed != {Requests}");
        Assert.InRange(Lines(), KestrelRejections.LinesPerSecond, KestrelRejections.LinesPerSecond * (1 + seconds) + 1);
        Assert.NotEmpty(_lab.Logs.WithEventId(3105));
        Assert.Equal(Requests, Rejections("http_version_not_supported"));
        Assert.Empty(ProxyHarness.Proxied(_lab.Publisher));

        int Lines() => _lab.Logs.WithEventId(3104).Count();
        long Suppressed() => _lab.Logs.WithEventId(3105).Sum(e => e.Properties["Suppressed"] is ScalarValue { Value: long n } ? n : 0);
    }

    private void AssertRejection(LogEvent line, string reason, string status, string kind)
    {
        Assert.Equal("EdgeProxy.Blocking", InMemorySink.Property(line, "SourceContext"));
        Assert.Equal(LogEventLevel.Warning, line.Level);
        Assert.Equal(Stranger, InMemorySink.Property(line, "Peer"));
        Assert.Equal(_lab.PublicUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), InMemorySink.Property(line, "Port"));
        Assert.Contains(reason, InMemorySink.Property(line, "Reason"), StringComparison.Ordinal);
        Assert.Equal(status, InMemorySink.Property(line, "Status"));
        Assert.Equal(kind, InMemorySink.Property(line, "Kind"));
    }

    private double Rejections(string kind) => _lab.App.Services.GetRequiredService<EdgeMetrics>().ProtocolRejections.WithLabels(kind).Value;

    /// <summary>Sends <paramref name="request"/> as it is from the stranger and reads until the server closes.</summary>
    private async Task<string> SendAsync(string request)
    {
        await using var tls = await RawHttps.ConnectAsync(_lab.PublicUri, Stranger);
        await tls.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var response = new MemoryStream();
        try
        {
            await tls.CopyToAsync(response);
        }
        catch (IOException)
        {
            // Kestrel may reset after its answer when the request had unread bytes.
        }

        return Encoding.ASCII.GetString(response.ToArray());
    }
}
