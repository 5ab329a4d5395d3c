using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EdgeProxy.IntegrationTests.Infrastructure;

namespace EdgeProxy.IntegrationTests.Hosting;

/// <summary>
/// The container contract with real processes: <c>EdgeProxy health</c> answers 0 for a serving EdgeProxy and 1 once it
/// is gone, SIGTERM stops it cleanly with exit code 0, and nothing is written under <c>$HOME</c> (read-only root).
/// </summary>
public sealed class HealthCommandProcessTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly string _home = Directory.CreateTempSubdirectory("edgeproxy-home-").FullName;

    [Fact]
    public async Task Health_ServingProcess_ExitsZero_ThenSigtermStopsCleanly_ThenHealthExitsOne()
    {
        var statusPort = FreePort();
        var env = Path.Combine(RepoPaths.Root, "env", "lab.env");
        (string, string)[] environment =
        [
            ("LAB_CERTS_DIR", RepoPaths.SampleCerts), ("HOME", _home), ("EDGEPROXY_LOG_FORMAT", "text"),
            ("NGX_PRXY_CLOUDCONNECT_PORT", "0"), ("NGX_PRXY_STATUS_PORT", statusPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
        using var serve = Start(["--env", env], environment);
        var serveOutput = serve.StandardOutput.ReadToEndAsync();
        var serveErrors = serve.StandardError.ReadToEndAsync();

        var (exitCode, output) = await WaitForHealthyAsync(serve, env, environment);
        Assert.True(exitCode == 0, $"health exited {exitCode}: {output}\nserve output:\n{(serve.HasExited ? await serveOutput + await serveErrors : "(still running)")}");
        Assert.Equal($"healthy: http://127.0.0.1:{statusPort}/healthz answered 200 OK", output.Trim());

        using (var kill = Process.Start("kill", ["-TERM", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await serve.WaitForExitAsync(stopTimeout.Token);
        Assert.Equal(0, serve.ExitCode);
        Assert.Contains("Application is shutting down", await serveOutput, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_home));

        (exitCode, output) = await RunToEndAsync(["health", "--env", env], environment);
        Assert.Equal(1, exitCode);
        Assert.Equal($"unhealthy: cannot reach http://127.0.0.1:{statusPort}/healthz: Connection refused", output.Trim());
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private static async Task<(int ExitCode, string Output)> WaitForHealthyAsync(Process serve, string env, (string, string)[] environment)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            var result = await RunToEndAsync(["health", "--env", env], environment);
            if (result.ExitCode == 0 || serve.HasExited || DateTime.UtcNow > deadline)
            {
                return result;
            }

            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process Start(string[] arguments, (string Key, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EdgeProxy.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }

    private static async Task<(int ExitCode, string Output)> RunToEndAsync(string[] arguments, (string Key, string Value)[] environment)
    {
        using var process = Start(arguments, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
