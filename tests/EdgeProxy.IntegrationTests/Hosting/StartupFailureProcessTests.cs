using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EdgeProxy.IntegrationTests.Infrastructure;

namespace EdgeProxy.IntegrationTests.Hosting;

/// <summary>
/// The real binary failing to start for reasons an operator causes: exit code 1 and one line naming what failed and the
/// fix, no stack trace. Privileges are tested as an unprivileged user (setpriv to nobody when the tests run as root,
/// where chmod 000 and port 443 would not fail).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StartupFailureProcessTests : IDisposable
{
    private const int Nobody = 65534;
    private readonly TempFolder _directory = new("edgeproxy-startup-");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task PortInUse_ExitsOneNamingListenerAddressPortAndSetting()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var result = await ServeAsync(("PROXY_BINDING_IP", "127.0.0.1"), ("NGX_PRXY_CLOUDCONNECT_PORT", Text(port)));

        AssertOneLine(result, $"EdgeProxy did not start: the public listener cannot bind 127.0.0.1:{port}: the address is already in use by another process. " +
            $"Stop that process (`ss -ltnp 'sport = :{port}'` names it) or set NGX_PRXY_CLOUDCONNECT_PORT to a free port.");
    }

    [Fact]
    public async Task BindingAddressNotOnThisHost_ExitsOneNamingTheAddressAndSetting()
    {
        var result = await ServeAsync(("PROXY_BINDING_IP", "192.0.2.1"), ("NGX_PRXY_CLOUDCONNECT_PORT", "8443"));

        AssertOneLine(result, "EdgeProxy did not start: the public listener cannot bind 192.0.2.1:8443: 192.0.2.1 is not an address of this host. " +
            "Set PROXY_BINDING_IP to one of this host's addresses (`ip -brief address`) or leave it empty to listen on all.");
    }

    [SkippableFact]
    public async Task PrivilegedPort_AsUnprivilegedUser_ExitsOneWithTheThreeFixes()
    {
        var start = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_unprivileged_port_start").Trim(), CultureInfo.InvariantCulture);
        Skip.If(start <= 443, $"port 443 is not privileged here (net.ipv4.ip_unprivileged_port_start={start})");

        var result = await ServeAsync(Unprivileged(), ("PROXY_BINDING_IP", "127.0.0.1"), ("NGX_PRXY_CLOUDCONNECT_PORT", "443"));

        AssertOneLine(result, "EdgeProxy did not start: the public listener cannot bind 127.0.0.1:443: permission denied, port 443 is privileged for this user. " +
            "Run as root, add the capability NET_BIND_SERVICE, or set --sysctl net.ipv4.ip_unprivileged_port_start=443 on Podman; or set NGX_PRXY_CLOUDCONNECT_PORT to 1024 or above.");
    }

    [SkippableFact]
    public async Task UnreadableKey_AsUnprivilegedUser_ExitsOneNamingTheKeyFile()
    {
        var key = Path.Combine(_directory.Path, "proxy.key");
        File.Copy(RepoPaths.SampleCert("proxy.key"), key);
        File.SetUnixFileMode(key, UnixFileMode.None);

        var result = await ServeAsync(Unprivileged(), ("NGX_SSL_KEY", key));

        AssertOneLine(result, $"EdgeProxy did not start: environment: NGX_SSL_KEY: cannot read '{key}': permission denied for user ");
        Assert.Contains("make the key readable by that user", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyPathIsADirectory_ExitsOneNamingIt()
    {
        var result = await ServeAsync(("NGX_SSL_KEY", _directory.Path));

        AssertOneLine(result, $"EdgeProxy did not start: environment: NGX_SSL_KEY: cannot load '{_directory.Path}': a directory, not a key file; " +
            "run 'EdgeProxy check' with the same arguments for details");
    }

    [Fact]
    public async Task MissingEnvDirectory_ExitsOneNamingIt()
    {
        var missing = Path.Combine(_directory.Path, "env");

        var result = await ChildProcess.EdgeProxyAsync(["--env-dir", missing]);

        AssertOneLine(result, $"EdgeProxy did not start: env directory not found: {missing}. Check the path (--env, --env-dir) and, in a container, the volume mount; ");
        Assert.Single(result.Lines);
    }

    // A valid configuration (the lab's certificates, nodes on the discard port where nothing listens) plus the overrides.
    private Task<ChildProcess.Result> ServeAsync(params (string Key, string Value)[] overrides) => ServeAsync([], overrides);

    private async Task<ChildProcess.Result> ServeAsync(string[] prefix, params (string Key, string Value)[] overrides)
    {
        var env = Path.Combine(_directory.Path, "startup.env");
        await File.WriteAllLinesAsync(env,
        [
            "EDGEPROXY_ENVIRONMENT=lab",
            "EDGEPROXY_LOG_FORMAT=text",
            "NGX_PRXY_CLOUDCONNECT_HOSTNAME=edgeproxy.lab.local",
            "PROXY_BINDING_IP=127.0.0.1",
            "NGX_PRXY_CLOUDCONNECT_PORT=0",
            "PROXY_BINDING_INTERNAL_IP=127.0.0.1",
            "NGX_PRXY_STATUS_PORT=0",
            "NGX_CLOUDCONNECT_HOSTNAME=127.0.0.11:9",
            "NGX_CLOUDCONNECT_FAILOVER_HOSTNAME=127.0.0.12:9",
            $"NGX_SSL_CRT={RepoPaths.SampleCert("proxy.crt")}",
            $"NGX_SSL_KEY={RepoPaths.SampleCert("proxy.key")}",
            $"NGX_PRXY_SSL_TRUST_CRT={RepoPaths.SampleCert("ca.crt")}",
        ]);
        // Readable by the unprivileged user too (a temporary directory is 0700).
        File.SetUnixFileMode(_directory.Path, (UnixFileMode)Convert.ToInt32("755", 8));
        return await ChildProcess.EdgeProxyAsync(["--env", env], [.. overrides, ("HOME", _directory.Path)], prefix);
    }

    private static string[] Unprivileged()
    {
        if (Environment.UserName != "root")
        {
            return [];
        }

        var setpriv = new[] { "/usr/bin/setpriv", "/bin/setpriv" }.FirstOrDefault(File.Exists);
        Skip.If(setpriv is null, "running as root without setpriv: cannot test as an unprivileged user");
        return [setpriv, $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups"];
    }

    private static void AssertOneLine(ChildProcess.Result result, string expectedStart)
    {
        Assert.True(result.ExitCode == 1, $"exit code {result.ExitCode}:\n{result.Output}");
        var line = Assert.Single(result.Lines, l => l.Contains("did not start", StringComparison.Ordinal));
        Assert.Contains(expectedStart, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Output, StringComparison.Ordinal);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
