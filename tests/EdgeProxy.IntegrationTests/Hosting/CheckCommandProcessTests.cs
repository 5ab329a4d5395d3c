using EdgeProxy.IntegrationTests.Infrastructure;

namespace EdgeProxy.IntegrationTests.Hosting;

/// <summary>The real binary's command-line contract: <c>EdgeProxy check --env FILE</c> exits 0 or 1.</summary>
public sealed class CheckCommandProcessTests
{
    [Fact]
    public async Task Check_LabEnv_ExitsZeroAndMasksKeyPath()
    {
        var (exitCode, output) = await RunAsync(["check", "--env", Path.Combine(RepoPaths.Root, "env", "lab.env")],
            ("LAB_CERTS_DIR", RepoPaths.SampleCerts));

        Assert.Equal(0, exitCode);
        Assert.Contains("configuration is valid", output, StringComparison.Ordinal);
        Assert.Contains("NGX_SSL_KEY", output, StringComparison.Ordinal);
        Assert.DoesNotContain("proxy.key", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_BrokenEnv_ExitsOneNamingFileLineAndKey()
    {
        var directory = Directory.CreateTempSubdirectory("edgeproxy-check-").FullName;
        try
        {
            var env = Path.Combine(directory, "broken.env");
            await File.WriteAllLinesAsync(env, ["# broken on purpose", "NGX_PRXY_CLOUDCONNECT_PORT=44x3", "EDGEPROXY_LOG_FROMAT=text"]);

            var (exitCode, output) = await RunAsync(["check", "--env", env]);

            Assert.Equal(1, exitCode);
            Assert.Contains($"{env}:2: NGX_PRXY_CLOUDCONNECT_PORT: '44x3' is not a whole number from 0 to 65535", output, StringComparison.Ordinal);
            Assert.Contains($"{env}:3: EDGEPROXY_LOG_FROMAT: unknown EdgeProxy key; did you mean EDGEPROXY_LOG_FORMAT?", output, StringComparison.Ordinal);
            Assert.Contains("NGX_CLOUDCONNECT_HOSTNAME: is required", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_InvalidEnv_RefusesToStart()
    {
        var (exitCode, output) = await RunAsync(["--env", Path.Combine(RepoPaths.Root, "env", "does-not-exist.env")]);

        Assert.Equal(1, exitCode);
        Assert.Contains("env file not found", output, StringComparison.Ordinal);
        Assert.Contains("did not start", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownArgument_ExitsTwoWithUsage()
    {
        var (exitCode, output) = await RunAsync(["--envfile", "x"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("unknown argument '--envfile'", output, StringComparison.Ordinal);
        Assert.Contains("Usage: EdgeProxy", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string[] arguments, params (string Key, string Value)[] environment)
    {
        var result = await ChildProcess.EdgeProxyAsync(arguments, environment);
        return (result.ExitCode, result.Output);
    }
}
