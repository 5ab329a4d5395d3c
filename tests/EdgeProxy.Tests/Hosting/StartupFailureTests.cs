using System.Net;
using System.Net.Sockets;
using EdgeProxy.Configuration;
using EdgeProxy.Hosting;
using Microsoft.AspNetCore.Connections;

namespace EdgeProxy.Tests.Hosting;

public sealed class StartupFailureTests
{
    private static readonly ListenerBinding Public = new("public listener", IPAddress.Parse("192.0.2.1"), 443, PropertyCatalog.BindingIp.Name, PropertyCatalog.Port.Name);
    private static readonly ListenerBinding PublicAnyIp = Public with { Address = null, Port = 8443 };
    private static readonly ListenerBinding PublicLocal = Public with { Address = IPAddress.Loopback, Port = 8443 };
    private static readonly ListenerBinding Status = new("status listener", IPAddress.Loopback, 10001, PropertyCatalog.InternalBindingIp.Name, PropertyCatalog.StatusPort.Name);

    public static TheoryData<string, Exception, ListenerBinding[], string> Shapes => new()
    {
        // Kestrel's shape for a port in use: an IOException naming the URL around AddressInUseException.
        {
            "in use, public", InUse("https://127.0.0.1:8443"), [PublicLocal, Status],
            "the public listener cannot bind 127.0.0.1:8443: the address is already in use by another process. Stop that process (`ss -ltnp 'sport = :8443'` names it) or set NGX_PRXY_CLOUDCONNECT_PORT to a free port."
        },
        {
            "in use, status", InUse("http://127.0.0.1:10001"), [PublicLocal, Status],
            "the status listener cannot bind 127.0.0.1:10001: the address is already in use by another process. Stop that process (`ss -ltnp 'sport = :10001'` names it) or set NGX_PRXY_STATUS_PORT to a free port."
        },
        {
            "in use, every address", InUse("https://[::]:8443"), [PublicAnyIp, Status],
            "the public listener cannot bind *:8443: the address is already in use by another process. Stop that process (`ss -ltnp 'sport = :8443'` names it) or set NGX_PRXY_CLOUDCONNECT_PORT to a free port."
        },
        // A bare SocketException: no address in it, the listener is the one whose address is not local.
        {
            "not local, public", new SocketException((int)SocketError.AddressNotAvailable), [Public, Status],
            "the public listener cannot bind 192.0.2.1:443: 192.0.2.1 is not an address of this host. Set PROXY_BINDING_IP to one of this host's addresses (`ip -brief address`) or leave it empty to listen on all."
        },
        {
            "not local, status", new SocketException((int)SocketError.AddressNotAvailable), [PublicLocal, Status with { Address = IPAddress.Parse("10.9.9.9") }],
            "the status listener cannot bind 10.9.9.9:10001: 10.9.9.9 is not an address of this host. Set PROXY_BINDING_INTERNAL_IP to one of this host's addresses (`ip -brief address`) or leave it empty to listen on all."
        },
        // The host may wrap a hosted service's failure.
        {
            "not local, wrapped", new AggregateException(new SocketException((int)SocketError.AddressNotAvailable)), [Public, Status],
            "the public listener cannot bind 192.0.2.1:443: 192.0.2.1 is not an address of this host. Set PROXY_BINDING_IP to one of this host's addresses (`ip -brief address`) or leave it empty to listen on all."
        },
        {
            "privileged port", new SocketException((int)SocketError.AccessDenied), [PublicLocal with { Port = 443 }, Status],
            "the public listener cannot bind 127.0.0.1:443: permission denied, port 443 is privileged for this user. Run as root, add the capability NET_BIND_SERVICE, or set --sysctl net.ipv4.ip_unprivileged_port_start=443 on Podman; or set NGX_PRXY_CLOUDCONNECT_PORT to 1024 or above."
        },
        {
            "denied above 1023", new SocketException((int)SocketError.AccessDenied), [PublicLocal, Status],
            "the public listener cannot bind 127.0.0.1:8443: permission denied. A security policy (SELinux, AppArmor, a seccomp profile) forbids it; allow the port there or set NGX_PRXY_CLOUDCONNECT_PORT to another port."
        },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Describe_KnownShape_OneLineNamingListenerAndFix(string shape, Exception exception, ListenerBinding[] listeners, string expected)
    {
        var line = StartupFailure.Describe(exception, listeners, isLocal: a => IPAddress.IsLoopback(a));

        Assert.True(expected == line, $"{shape}: {line}");
        Assert.True(StartupFailure.IsKnown(exception));
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void Describe_OtherFailures_Null()
    {
        foreach (var exception in new Exception[] { new InvalidOperationException("boom"), new SocketException((int)SocketError.ConnectionRefused), new IOException("disk full") })
        {
            Assert.Null(StartupFailure.Describe(exception, [PublicLocal, Status]));
            Assert.False(StartupFailure.IsKnown(exception));
        }
    }

    [Fact]
    public void DescribeConfiguration_MissingEnvDirectory_OneLineForItAlone()
    {
        var missing = Path.Combine(Path.GetTempPath(), "edgeproxy-no-such-dir-" + Guid.NewGuid().ToString("N"));
        var result = ConfigurationLoader.Load(new EnvSources([], [missing]), new Dictionary<string, string>());

        var lines = StartupFailure.DescribeConfiguration(result.Errors);

        var line = Assert.Single(lines);
        Assert.StartsWith($"EdgeProxy did not start: env directory not found: {missing}. Check the path", line, StringComparison.Ordinal);
        Assert.Contains($"{result.Errors.Count - 1} further error(s) may follow from it", line, StringComparison.Ordinal);
    }

    [Fact]
    public void DescribeConfiguration_OneError_OneLine_SeveralErrors_EachAndACount()
    {
        var one = new ConfigError(new EnvOrigin("a.env", 3), PropertyCatalog.Port.Name, "'x' is not a whole number");
        var two = new ConfigError(new EnvOrigin("a.env", 4), PropertyCatalog.StatusPort.Name, "'y' is not a whole number");

        Assert.Equal(["EdgeProxy did not start: a.env:3: NGX_PRXY_CLOUDCONNECT_PORT: 'x' is not a whole number; run 'EdgeProxy check' with the same arguments for details"],
            StartupFailure.DescribeConfiguration([one]));
        Assert.Equal(
            [
                "Configuration error: a.env:3: NGX_PRXY_CLOUDCONNECT_PORT: 'x' is not a whole number",
                "Configuration error: a.env:4: NGX_PRXY_STATUS_PORT: 'y' is not a whole number",
                "EdgeProxy did not start: 2 configuration error(s); run 'EdgeProxy check' with the same arguments for details",
            ], StartupFailure.DescribeConfiguration([one, two]));
    }

    private static IOException InUse(string url) =>
        new($"Failed to bind to address {url}: address already in use.", new AddressInUseException("Address already in use", new SocketException((int)SocketError.AddressAlreadyInUse)));
}
