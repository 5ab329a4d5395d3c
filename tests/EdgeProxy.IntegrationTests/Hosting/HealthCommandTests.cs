using System.Net;
using System.Net.Sockets;
using EdgeProxy.Configuration;
using EdgeProxy.Hosting;
using EdgeProxy.IntegrationTests.Infrastructure;

namespace EdgeProxy.IntegrationTests.Hosting;

/// <summary><c>EdgeProxy health</c> against a real running EdgeProxy (the lab harness) and against listeners that are not it.</summary>
public sealed class HealthCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgeproxy-health-").FullName;

    [Fact]
    public async Task Health_RunningProxy_ExitsZero_EvenWithUnrelatedErrorsInTheEnvFile()
    {
        await using var lab = await ProxyHarness.StartAsync();
        var env = WriteEnv(lab.StatusUri, "NGX_CLIENT_MAX_BODY_SIZE=15 MB", "EDGEPROXY_LOG_FROMAT=text", "NGX_SSL_CRT=${NOT_DEFINED}/proxy.crt", "this line is broken");

        var (exitCode, output) = await RunAsync(env);

        Assert.Equal(0, exitCode);
        Assert.Equal($"healthy: {lab.StatusUri.GetLeftPart(UriPartial.Authority)}/healthz answered 200 OK", output);
    }

    [Fact]
    public async Task Health_WildcardInternalAddress_ProbesLoopback()
    {
        await using var lab = await ProxyHarness.StartAsync();
        var env = WriteEnv(new Uri($"http://0.0.0.0:{lab.StatusUri.Port}/"));

        var (exitCode, output) = await RunAsync(env);

        Assert.Equal(0, exitCode);
        Assert.StartsWith($"healthy: http://127.0.0.1:{lab.StatusUri.Port}/healthz", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_StoppedProxy_ExitsOne_ConnectionRefused()
    {
        Uri status;
        await using (var lab = await ProxyHarness.StartAsync())
        {
            status = lab.StatusUri;
        }

        var (exitCode, output) = await RunAsync(WriteEnv(status));

        Assert.Equal(1, exitCode);
        Assert.Equal($"unhealthy: cannot reach {status.GetLeftPart(UriPartial.Authority)}/healthz: Connection refused", output);
    }

    [Fact]
    public async Task Health_ListenerAnsweringNot200_ExitsOneWithTheStatus()
    {
        // The simulator's plain-HTTP admin port is an HTTP server without /healthz: it answers 404.
        await using var lab = await ProxyHarness.StartAsync();
        var admin = new Uri($"http://127.0.0.11:{lab.Publisher.AdminPort}/");

        var (exitCode, output) = await RunAsync(WriteEnv(admin));

        Assert.Equal(1, exitCode);
        Assert.Equal($"unhealthy: http://127.0.0.11:{lab.Publisher.AdminPort}/healthz answered 404 Not Found", output);
    }

    [Fact]
    public async Task Health_ListenerThatNeverAnswers_ExitsOneAfterTheTimeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;

        var (exitCode, output) = await RunAsync(WriteEnv(new Uri($"http://127.0.0.1:{port}/")), TimeSpan.FromMilliseconds(300));

        Assert.Equal(1, exitCode);
        Assert.Equal($"unhealthy: http://127.0.0.1:{port}/healthz did not answer within 0.3 s", output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteEnv(Uri status, params string[] extraLines)
    {
        var file = Path.Combine(_directory, $"{Guid.NewGuid():N}.env");
        File.WriteAllLines(file, [$"PROXY_BINDING_INTERNAL_IP={status.Host.Trim('[', ']')}", $"NGX_PRXY_STATUS_PORT={status.Port}", .. extraLines]);
        return file;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string envFile, TimeSpan? timeout = null)
    {
        using var output = new StringWriter();
        var exitCode = await HealthCommand.RunAsync(new EnvSources([envFile], []), new Dictionary<string, string>(), output, timeout);
        return (exitCode, output.ToString().TrimEnd('\n'));
    }
}
