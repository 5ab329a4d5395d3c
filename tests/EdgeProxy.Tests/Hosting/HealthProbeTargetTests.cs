using System.Net;
using EdgeProxy.Configuration;
using EdgeProxy.Hosting;

namespace EdgeProxy.Tests.Hosting;

public sealed class HealthProbeTargetTests
{
    [Theory]
    [InlineData(null, null, "http://127.0.0.1:10001/healthz")]
    [InlineData("", "", "http://127.0.0.1:10001/healthz")]
    [InlineData("127.0.0.1", "10001", "http://127.0.0.1:10001/healthz")]
    [InlineData("0.0.0.0", "10002", "http://127.0.0.1:10002/healthz")]
    [InlineData("::", "10001", "http://[::1]:10001/healthz")]
    [InlineData("::1", "9000", "http://[::1]:9000/healthz")]
    [InlineData("10.20.30.40", "10001", "http://10.20.30.40:10001/healthz")]
    [InlineData("::ffff:127.0.0.5", "10001", "http://127.0.0.5:10001/healthz")]
    [InlineData(" 127.0.0.7 ", " 10005 ", "http://127.0.0.7:10005/healthz")]
    public void TryResolve_AddressAndPort_ProbesLoopbackForWildcards(string? address, string? port, string expected)
    {
        var env = Env(address, port);

        Assert.True(HealthProbeTarget.TryResolve(env, out var uri, out var error), error);
        Assert.Equal(expected, uri.ToString());
    }

    [Theory]
    [InlineData("localhost", "10001", "dc.env:3: PROXY_BINDING_INTERNAL_IP: 'localhost' is not an IP address")]
    [InlineData("10.0.0.0/8", "10001", "dc.env:3: PROXY_BINDING_INTERNAL_IP: '10.0.0.0/8' is not an IP address")]
    [InlineData("127.0.0.1", "0", "dc.env:4: NGX_PRXY_STATUS_PORT: '0' is not a whole number from 1 to 65535")]
    [InlineData("127.0.0.1", "ten", "dc.env:4: NGX_PRXY_STATUS_PORT: 'ten' is not a whole number from 1 to 65535")]
    [InlineData("127.0.0.1", "70000", "dc.env:4: NGX_PRXY_STATUS_PORT: '70000' is not a whole number from 1 to 65535")]
    public void TryResolve_InvalidValue_NamesFileLineAndKey(string address, string port, string expected)
    {
        var env = Env(address, port);

        Assert.False(HealthProbeTarget.TryResolve(env, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryResolve_ErrorsOnOtherKeysAndLines_AreIgnored()
    {
        var env = Env("127.0.0.9", "10009",
            new ConfigError(new EnvOrigin("dc.env", 7), PropertyCatalog.MaxBodySize.Name, "'15 MB' is not a size"),
            new ConfigError(new EnvOrigin("dc.env", 8), "EDGEPROXY_LOG_FROMAT", "unknown EdgeProxy key"),
            new ConfigError(new EnvOrigin("dc.env", 9), null, "expected KEY=VALUE, found 'oops'"));

        Assert.True(HealthProbeTarget.TryResolve(env, out var uri, out var error), error);
        Assert.Equal("http://127.0.0.9:10009/healthz", uri.ToString());
    }

    [Fact]
    public void TryResolve_ErrorOnTheStatusKeys_IsReported()
    {
        var env = Env(null, null, new ConfigError(new EnvOrigin("dc.env", 4), PropertyCatalog.StatusPort.Name, "${STATUS} is not defined"));

        Assert.False(HealthProbeTarget.TryResolve(env, out _, out var error));
        Assert.Equal("cannot tell where the status listener is: dc.env:4: NGX_PRXY_STATUS_PORT: ${STATUS} is not defined", error);
    }

    [Theory]
    [InlineData("127.0.0.6", null, "http://127.0.0.6:10001/healthz")]
    [InlineData("127.0.0.6", "127.0.0.6", "http://127.0.0.6:10001/healthz")]
    [InlineData("0.0.0.0", "", "http://127.0.0.1:10001/healthz")]
    public void TryResolve_CiscoStatusIp_UsedAsTheAddress(string statusIp, string? internalIp, string expected)
    {
        var env = EnvWithStatusIp(statusIp, internalIp);

        Assert.True(HealthProbeTarget.TryResolve(env, out var uri, out var error), error);
        Assert.Equal(expected, uri.ToString());
    }

    [Fact]
    public void TryResolve_StatusIpConflictsWithInternalIp_NamesBoth()
    {
        var env = EnvWithStatusIp("127.0.0.6", "127.0.0.7");

        Assert.False(HealthProbeTarget.TryResolve(env, out _, out var error));
        Assert.StartsWith("dc.env:5: NGX_PRXY_STATUS_IP: '127.0.0.6' differs from PROXY_BINDING_INTERNAL_IP='127.0.0.7' (dc.env:3)", error);
    }

    private static EnvSet EnvWithStatusIp(string statusIp, string? internalIp)
    {
        var values = Env(internalIp, null).Values.ToDictionary();
        values["NGX_PRXY_STATUS_IP"] = new EnvEntry("NGX_PRXY_STATUS_IP", statusIp, new EnvOrigin("dc.env", 5));
        return new EnvSet(values, ["dc.env"], [], []);
    }

    [Fact]
    public void TryResolve_UnreadableEnvSource_IsReported()
    {
        // The address may be set in the file that could not be read: probing the default could probe another process.
        var env = Env(null, null, new ConfigError(new EnvOrigin("/etc/edgeproxy/env", 0), null, "env directory not found"));

        Assert.False(HealthProbeTarget.TryResolve(env, out _, out var error));
        Assert.Equal("cannot tell where the status listener is: /etc/edgeproxy/env: env directory not found", error);
    }

    [Fact]
    public void TryResolve_ProcessEnvironmentOverridesFiles_AsForServe()
    {
        var directory = Directory.CreateTempSubdirectory("edgeproxy-health-").FullName;
        try
        {
            var file = Path.Combine(directory, "dc.env");
            File.WriteAllLines(file, ["PROXY_BINDING_INTERNAL_IP=0.0.0.0", "NGX_PRXY_STATUS_PORT=10001", "NGX_SSL_CRT=${MISSING}/proxy.crt"]);
            var env = EnvLoader.Load(new EnvSources([], [directory]), new Dictionary<string, string> { [PropertyCatalog.StatusPort.Name] = "10444" });

            Assert.True(HealthProbeTarget.TryResolve(env, out var uri, out var error), error);
            Assert.Equal("http://127.0.0.1:10444/healthz", uri.ToString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("0.0.0.0", "127.0.0.1")]
    [InlineData("::", "::1")]
    [InlineData("192.0.2.10", "192.0.2.10")]
    public void ProbeAddress_Wildcard_IsLoopbackOfTheSameFamily(string listen, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), HealthProbeTarget.ProbeAddress(IPAddress.Parse(listen)));

    private static EnvSet Env(string? address, string? port, params ConfigError[] errors)
    {
        var values = new Dictionary<string, EnvEntry>(StringComparer.Ordinal);
        if (address is not null)
        {
            values[PropertyCatalog.InternalBindingIp.Name] = new EnvEntry(PropertyCatalog.InternalBindingIp.Name, address, new EnvOrigin("dc.env", 3));
        }

        if (port is not null)
        {
            values[PropertyCatalog.StatusPort.Name] = new EnvEntry(PropertyCatalog.StatusPort.Name, port, new EnvOrigin("dc.env", 4));
        }

        return new EnvSet(values, ["dc.env"], [], errors);
    }
}
