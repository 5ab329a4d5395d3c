using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EdgeProxy.IntegrationTests.Infrastructure;

namespace EdgeProxy.IntegrationTests.Admission;

/// <summary>
/// A real HAProxy in TCP mode with <c>send-proxy-v2</c> in front of EdgeProxy, on loopback: TLS passes
/// through it, and the client address reaches the node from the PROXY header alone. Skipped (and counted
/// as skipped) without the haproxy binary.
/// </summary>
public sealed class HaProxyTests
{
    private const string Balancer = "127.0.0.30";
    private const string Allowed = "127.0.0.5";
    private const string Denied = "127.0.0.6";

    private static readonly string? HaProxy = new[] { "/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy" }.FirstOrDefault(File.Exists);

    [SkippableFact]
    public async Task HaProxySendProxyV2_ClientThroughIt_ReachesTheNodeAsTheClient()
    {
        Skip.If(HaProxy is null, "HAProxy is not installed (apt-get install haproxy)");
        await using var lab = await ProxyHarness.StartAsync(o => o.ExtraEnv.AddRange(
        [
            $"NGX_CLOUDCONNECT_CLIENT_IPS={Allowed}",
            $"NGX_LOAD_BALANCER_IPS={Balancer}",
            "NGX_LOAD_BALANCER_REAL_IP_HEADER=proxy_protocol",
        ]));
        using var folder = new TempFolder("edgeproxy-haproxy-");
        var frontendPort = FreePort();
        var config = Path.Combine(folder.Path, "haproxy.cfg");
        await File.WriteAllTextAsync(config, $"""
            global
                maxconn 100
            defaults
                mode tcp
                timeout connect 5s
                timeout client 30s
                timeout server 30s
            frontend public
                bind {Balancer}:{frontendPort}
                default_backend edgeproxy
            backend edgeproxy
                server edge {lab.PublicUri.Host}:{lab.PublicUri.Port} source {Balancer} send-proxy-v2

            """);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var haproxy = Start(HaProxy!, config, output);
        try
        {
            var frontend = new UriBuilder(lab.PublicUri) { Host = Balancer, Port = frontendPort }.Uri;
            Assert.True(await Eventually.TrueAsync(() => Listening(Balancer, frontendPort), TimeSpan.FromSeconds(10)),
                $"HAProxy did not start listening (exited: {haproxy.HasExited}): {string.Join(" | ", output)}");
            using var allowed = EdgeClient.Create(frontend, Allowed);
            using var denied = EdgeClient.Create(frontend, Denied);

            using var admitted = await allowed.GetAsync("/drapi/v1/ping");
            using var refused = await denied.GetAsync("/drapi/v1/ping");

            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var request = Assert.Single(ProxyHarness.Proxied(lab.Publisher));
            Assert.Equal(Allowed, request.Headers["X-Real-IP"]);
            var refusal = Assert.Single(lab.Logs.WithEventId(3001));
            Assert.Equal(Balancer, InMemorySink.Property(refusal, "Peer"));
            Assert.Equal(Denied, InMemorySink.Property(refusal, "Client"));
        }
        finally
        {
            haproxy.Kill();
            await haproxy.WaitForExitAsync();
        }
    }

    private static Process Start(string binary, string config, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-f", config, "-db" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        // Drained so a chatty HAProxy never blocks on a full pipe; kept for the failure message.
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Parse(Balancer), 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static bool Listening(string address, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(address, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
