using System.Net;
using System.Net.Http.Json;
using EdgeProxy.IntegrationTests.Infrastructure;

namespace EdgeProxy.IntegrationTests.Upstreams;

public sealed class ForwardingTests : IAsyncLifetime
{
    private ProxyHarness _lab = null!;

    public async Task InitializeAsync() => _lab = await ProxyHarness.StartAsync();

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Fact]
    public async Task CreateTask_ThroughProxy_ReachesPublisherWithEdgeHeaders()
    {
        using var client = _lab.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/drapi/v1/tasks")
        {
            Content = JsonContent.Create(new { mediaType = "chat", name = "edge test" }),
        };
        request.Headers.Add("TrackingID", "track-create-1");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.66");
        request.Headers.TryAddWithoutValidation("X-Real-IP", "203.0.113.66");
        request.Headers.TryAddWithoutValidation("X-Client-IP", "203.0.113.66");
        request.Headers.TryAddWithoutValidation("Forwarded", "for=203.0.113.66");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.example");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["track-create-1"], response.Headers.GetValues("TrackingID"));
        var seen = Assert.Single(ProxyHarness.Proxied(_lab.Publisher), r => r.Method == "POST" && r.Path == "/drapi/v1/tasks");
        Assert.Equal("edgeproxy.lab.local", seen.Headers["Host"]);
        Assert.Equal("127.0.0.1", seen.Headers["X-Real-IP"]);
        Assert.Equal("127.0.0.1", seen.Headers["X-Client-IP"]);
        Assert.Equal("127.0.0.1, 127.0.0.1", seen.Headers["X-Forwarded-For"]);
        Assert.Equal("https", seen.Headers["X-Forwarded-Proto"]);
        Assert.Equal(_lab.PublicUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), seen.Headers["X-Forwarded-Port"]);
        Assert.Equal("track-create-1", seen.Headers["TrackingID"]);
        Assert.False(seen.Headers.ContainsKey("Forwarded"));
        Assert.False(seen.Headers.ContainsKey("X-Forwarded-Host"));
        Assert.Contains("CN=edgeproxy.lab.local", seen.ClientCertificateSubject, StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyHarness.Proxied(_lab.Subscriber), r => r.Path.StartsWith("/drapi/v1/tasks", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Request_WithoutTrackingId_GetsGeneratedIdForwardedAndEchoed()
    {
        using var client = _lab.CreateClient();

        using var response = await client.GetAsync("/drapi/v1/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echoed = Assert.Single(response.Headers.GetValues("TrackingID"));
        Assert.True(Guid.TryParse(echoed, out _), echoed);
        Assert.Contains(ProxyHarness.Proxied(_lab.Publisher), r => r.Path == "/drapi/v1/ping" && r.Headers.GetValueOrDefault("TrackingID") == echoed);
    }

    [Fact]
    public async Task Request_WithUnsafeTrackingId_GetsItReplaced()
    {
        using var client = _lab.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/drapi/v1/ping");
        request.Headers.TryAddWithoutValidation("TrackingID", new string('x', 129));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echoed = Assert.Single(response.Headers.GetValues("TrackingID"));
        Assert.True(Guid.TryParse(echoed, out _), echoed);
        Assert.Equal(echoed, Assert.Single(ProxyHarness.Proxied(_lab.Publisher)).Headers["TrackingID"]);
    }

    [Fact]
    public async Task DataConnCallback_ThroughProxy_ReachesPublisherOnly()
    {
        using var client = _lab.CreateClient();

        using var response = await client.PostAsync("/dataconn/v1/usersync/callback", new StringContent("{\"users\":[1,2,3]}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var callback = Assert.Single(_lab.Publisher.DataConnCallbacks);
        Assert.Equal("/dataconn/v1/usersync/callback", callback.Path);
        Assert.Equal("{\"users\":[1,2,3]}", callback.Body);
        Assert.DoesNotContain(ProxyHarness.Proxied(_lab.Subscriber), r => r.Path.StartsWith("/dataconn", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/drapi/v1/config/trace", HttpStatusCode.NotFound)]
    [InlineData("/drapi/v1/config", HttpStatusCode.NotFound)]
    [InlineData("/drapi/v1/status", HttpStatusCode.NotFound)]
    [InlineData("/DRAPI/V1/Config/trace", HttpStatusCode.NotFound)]
    [InlineData("/drapi/v1/%63onfig/trace", HttpStatusCode.NotFound)]
    [InlineData("/drapi/v1/tasks/../config/trace", HttpStatusCode.NotFound)]
    [InlineData("/cloudconnectmgmt/v1/settings", HttpStatusCode.NotFound)]
    [InlineData("/", HttpStatusCode.NotFound)]
    [InlineData("/drapi//v1/config/trace", HttpStatusCode.BadRequest)]
    [InlineData("/drapi/v1/config;jsessionid=1/trace", HttpStatusCode.BadRequest)]
    [InlineData("/drapi%2fv1%2fconfig", HttpStatusCode.BadRequest)]
    public async Task InternalOrUnroutedPath_IsAnsweredAtTheEdge_AndNoNodeIsContacted(string path, HttpStatusCode expected)
    {
        using var client = _lab.CreateClient();
        // Send the path exactly as written: Uri would otherwise resolve ".." and unescape.
        var uri = new Uri(_lab.PublicUri.GetLeftPart(UriPartial.Authority) + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);

        using var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(ProxyHarness.Proxied(_lab.Publisher));
        Assert.Empty(ProxyHarness.Proxied(_lab.Subscriber));
    }

    [Fact]
    public async Task TraceMethod_IsRefused_AndNoNodeIsContacted()
    {
        using var client = _lab.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Trace, "/drapi/v1/tasks"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Empty(ProxyHarness.Proxied(_lab.Publisher));
    }

    [Fact]
    public async Task Http2Client_IsForwarded()
    {
        using var client = _lab.CreateClient(version: HttpVersion.Version20);

        using var response = await client.GetAsync("/drapi/v1/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Contains(ProxyHarness.Proxied(_lab.Publisher), r => r.Path == "/drapi/v1/ping");
    }

    [Fact]
    public async Task StatusEndpoints_AnswerOnlyOnTheInternalListener()
    {
        using var status = new HttpClient { BaseAddress = _lab.StatusUri };
        using var client = _lab.CreateClient();

        using var internalAnswer = await status.GetAsync("/healthz");
        using var publicAnswer = await client.GetAsync("/healthz");
        using var proxyOnStatusPort = await status.GetAsync("/drapi/v1/ping");

        Assert.Equal(HttpStatusCode.OK, internalAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, publicAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, proxyOnStatusPort.StatusCode);
        Assert.Empty(ProxyHarness.Proxied(_lab.Publisher));
    }
}
