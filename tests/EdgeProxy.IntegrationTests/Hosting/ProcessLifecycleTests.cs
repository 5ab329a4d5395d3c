using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using CloudConnectSimulator;
using EdgeProxy.IntegrationTests.Infrastructure;

namespace EdgeProxy.IntegrationTests.Hosting;

/// <summary>The real EdgeProxy process and its signals: SIGTERM drains in-flight requests, SIGHUP reloads.</summary>
public sealed class ProcessLifecycleTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _output = new();
    private SimulatorNode _publisher = null!;
    private SimulatorNode _subscriber = null!;
    private Process _proxy = null!;
    private string _directory = null!;
    private int _port;
    private int _statusPort;

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("edgeproxy-process-").FullName;
        _publisher = await LabNodes.StartAsync("publisher", "127.0.0.11", NodeMode.Active);
        _subscriber = await LabNodes.StartAsync("subscriber", "127.0.0.12", NodeMode.Standby);
        _port = FreePort();
        var env = Path.Combine(_directory, "process.env");
        await File.WriteAllLinesAsync(env,
        [
            "EDGEPROXY_ENVIRONMENT=lab",
            "EDGEPROXY_LOG_FORMAT=text",
            "NGX_PRXY_CLOUDCONNECT_HOSTNAME=edgeproxy.lab.local",
            "PROXY_BINDING_IP=127.0.0.1",
            $"NGX_PRXY_CLOUDCONNECT_PORT={_port}",
            $"NGX_PRXY_STATUS_PORT={_statusPort = FreePort()}",
            // Short, so the tests of SIGTERM stay quick; the default is 3 s.
            "EDGEPROXY_SHUTDOWN_DELAY=2s",
            $"NGX_CLOUDCONNECT_HOSTNAME=127.0.0.11:{_publisher.HttpsPort}",
            $"NGX_CLOUDCONNECT_FAILOVER_HOSTNAME=127.0.0.12:{_subscriber.HttpsPort}",
            "NGX_CLOUDCONNECT_CLIENT_IPS=127.0.0.1",
            // The slow node of the SIGTERM test must still pass its health probes.
            "NGX_CLOUDCONNECT_HEALTHCHECK_TIMEOUT=5000",
            $"NGX_SSL_CRT={RepoPaths.SampleCert("proxy.crt")}",
            $"NGX_SSL_KEY={RepoPaths.SampleCert("proxy.key")}",
            $"NGX_PRXY_SSL_TRUST_CRT={RepoPaths.SampleCert("ca.crt")}",
        ]);

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        // As the container image runs it: OpenSSL enforces the cipher policy (TlsCipherPolicy).
        start.Environment["OPENSSL_CONF"] = Path.Combine(AppContext.BaseDirectory, "openssl-edgeproxy.cnf");
        // As the read-only container: no writable temporary directory, so anything that spills to a file fails.
        start.Environment["TMPDIR"] = Path.Combine(_directory, "no-such-tmp");
        start.Environment["ASPNETCORE_TEMP"] = Path.Combine(_directory, "no-such-tmp");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EdgeProxy.dll"));
        start.ArgumentList.Add("--env");
        start.ArgumentList.Add(env);
        _proxy = Process.Start(start)!;
        _proxy.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        _proxy.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        _proxy.BeginOutputReadLine();
        _proxy.BeginErrorReadLine();
        try
        {
            var listening = await Eventually.TrueAsync(() => _output.Any(l => l.Contains("Application started", StringComparison.Ordinal)) || _proxy.HasExited, TimeSpan.FromSeconds(30));
            Assert.True(listening && !_proxy.HasExited, string.Join('\n', _output));
            using var client = EdgeClient.Create(new Uri($"https://127.0.0.1:{_port}/"));
            Assert.True(await Eventually.StatusAsync(client, "/drapi/v1/ping", HttpStatusCode.OK, TimeSpan.FromSeconds(15)), "no active node: " + string.Join('\n', _output));
        }
        catch
        {
            // xunit does not call DisposeAsync when InitializeAsync throws: the process must not outlive the test.
            _proxy.Kill(entireProcessTree: true);
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (!_proxy.HasExited)
        {
            _proxy.Kill(entireProcessTree: true);
            await _proxy.WaitForExitAsync();
        }

        _proxy.Dispose();
        await _publisher.DisposeAsync();
        await _subscriber.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task OpenSslConfiguration_EnforcesTheCipherPolicy_AndNodesStillAnswer()
    {
        Assert.Contains(_output, l => l.Contains("TLS cipher policy (ECDHE with AEAD ciphers only) enforced by OpenSSL (OPENSSL_CONF=", StringComparison.Ordinal));

        foreach (var cipher in new[] { "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384" })
        {
            var (refused, output) = await OpenSslClient.ConnectAsync(_port, "-tls1_2", "-cipher", cipher + "@SECLEVEL=0");
            Assert.True(refused != 0, $"{cipher} was accepted: {output}");
        }

        var (exitCode, aead) = await OpenSslClient.ConnectAsync(_port, "-tls1_2");
        Assert.Equal(0, exitCode);
        Assert.Matches("Ciphersuite: ECDHE-ECDSA-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)", aead);
        var (tls11, old) = await OpenSslClient.ConnectAsync(_port, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        Assert.True(tls11 != 0, old);

        // The node connections run under the same OpenSSL configuration.
        using var client = EdgeClient.Create(new Uri($"https://127.0.0.1:{_port}/"));
        using var response = await client.PostAsync("/drapi/v1/tasks", JsonContent.Create(new { mediaType = "chat", name = "cipher policy" }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("GET")]
    public async Task IdempotentRequestWithLargeBody_NoTemporaryDirectory_ReachesTheNodeWhole(string method)
    {
        // Over ASP.NET Core's 30 KB in-memory buffer and EdgeProxy's 64 KB replay bound: streamed, never written to a file.
        var body = new string('b', 200 * 1024);
        using var client = EdgeClient.Create(new Uri($"https://127.0.0.1:{_port}/"));
        using var request = new HttpRequestMessage(new HttpMethod(method), "/drapi/v1/tasks/large-body") { Content = new StringContent(body) };

        using var response = await client.SendAsync(request);

        Assert.NotEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.BadGateway, response.StatusCode);
        var seen = Assert.Single(ProxyHarness.Proxied(_publisher), r => r.Path == "/drapi/v1/tasks/large-body");
        Assert.Equal(method, seen.Method);
        Assert.Equal(body, seen.Body);
    }

    [Fact]
    public async Task Sigterm_WithRequestsInFlight_CompletesThemAndExitsZero()
    {
        _publisher.Delay = TimeSpan.FromSeconds(2);
        using var client = EdgeClient.Create(new Uri($"https://127.0.0.1:{_port}/"));
        var inFlight = Enumerable.Range(0, 3).Select(i => client.GetAsync($"/drapi/v1/ping?n={i}")).ToList();
        Assert.True(await Eventually.TrueAsync(() => ProxyHarness.Proxied(_publisher).Count(r => r.QueryString.StartsWith("?n=", StringComparison.Ordinal)) == 3, TimeSpan.FromSeconds(10)));

        Signal("TERM");

        foreach (var request in inFlight)
        {
            using var response = await request;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _proxy.WaitForExitAsync(exit.Token);
        Assert.Equal(0, _proxy.ExitCode);
    }

    [Fact]
    public async Task Sigterm_ReadyzAnswers503AtOnce_TrafficIsStillServedForTheDelay_ThenExitsZero()
    {
        using var status = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_statusPort}/"), Timeout = TimeSpan.FromSeconds(5) };
        using var client = EdgeClient.Create(new Uri($"https://127.0.0.1:{_port}/"));
        using (var ready = await status.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        Signal("TERM");

        // A balancer's health check sees the instance leave at once...
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            using var readyz = await status.GetAsync("/readyz");
            return readyz.StatusCode == HttpStatusCode.ServiceUnavailable && (await readyz.Content.ReadAsStringAsync()).Contains("shutting down", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(1.5)), string.Join('\n', _output));
        // ...while clients it still sends are served, on new connections too, and told to reconnect: behind an L4
        // balancer a keep-alive connection would otherwise stay on this instance until its listeners close.
        using var fresh = EdgeClient.Create(new Uri($"https://127.0.0.1:{_port}/"));
        using (var served = await fresh.PostAsync("/drapi/v1/tasks", JsonContent.Create(new { mediaType = "chat", name = "while draining" })))
        {
            Assert.Equal(HttpStatusCode.Created, served.StatusCode);
            Assert.True(served.Headers.ConnectionClose, "a response while draining must carry Connection: close");
        }

        Assert.False(_proxy.HasExited);
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _proxy.WaitForExitAsync(exit.Token);
        Assert.Equal(0, _proxy.ExitCode);
        Assert.Contains(_output, l => l.Contains("SIGTERM received: /readyz answers 503 now; serving for 2 s more", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sighup_RereadsTheConfiguration_AndKeepsServing()
    {
        Signal("HUP");

        Assert.True(await Eventually.TrueAsync(() => _output.Any(l => l.Contains("Configuration reload (SIGHUP): files unchanged", StringComparison.Ordinal)), TimeSpan.FromSeconds(10)),
            string.Join('\n', _output));
        Assert.False(_proxy.HasExited);
        using var client = EdgeClient.Create(new Uri($"https://127.0.0.1:{_port}/"));
        using var response = await client.GetAsync("/drapi/v1/ping");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HostilePath_FromAStranger_IsOneTextLineInTheBlockingAndAccessLogs()
    {
        const string Forged = "1999-12-31T23:59:59.000+00:00 [INF] EdgeProxy.Access: GET /drapi/v1/ping 200";
        using var stranger = EdgeClient.Create(new Uri($"https://127.0.0.1:{_port}/"), "127.0.0.9");

        using var response = await stranger.GetAsync("/drapi/v1/tasks%0d%0a" + Uri.EscapeDataString(Forged).Replace("%2F", "/", StringComparison.Ordinal) + "%1b%c2%85%e2%80%a8");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        // What the real stdout sink wrote, split as the process reader splits lines (at CR, LF and CRLF).
        var escaped = @"/drapi/v1/tasks\r\n" + Forged + @"\x1b\x85\u2028";
        Assert.True(await Eventually.TrueAsync(() => _output.Any(l => l.Contains("EdgeProxy.Access: GET " + escaped, StringComparison.Ordinal)), TimeSpan.FromSeconds(10)),
            string.Join('\n', _output));
        var blocking = Assert.Single(_output, l => l.Contains("[WRN] EdgeProxy.Blocking: Refused GET", StringComparison.Ordinal));
        Assert.Contains(escaped + " from peer 127.0.0.9", blocking, StringComparison.Ordinal);
        Assert.Single(_output, l => l.Contains("EdgeProxy.Access: GET /drapi/v1/tasks", StringComparison.Ordinal));
        Assert.DoesNotContain(_output, l => l.StartsWith(Forged[..10], StringComparison.Ordinal) || l.Contains('\u2028', StringComparison.Ordinal) || l.Contains('\u001b', StringComparison.Ordinal));
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _proxy.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
