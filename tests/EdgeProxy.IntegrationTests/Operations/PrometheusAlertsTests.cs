using System.Diagnostics;
using EdgeProxy.IntegrationTests.Infrastructure;

namespace EdgeProxy.IntegrationTests.Operations;

/// <summary>
/// deploy/prometheus/ checked by Prometheus's own tools: the rule and scrape files are valid, every rule's unit
/// test passes, and a real Prometheus scraping a real EdgeProxy fires EdgeProxyNoActiveNode when both nodes go.
/// Skipped (and counted as skipped) without Prometheus; .ci/run installs it.
/// </summary>
public sealed class PrometheusAlertsTests
{
    private static readonly string Directory = Path.Combine(RepoPaths.Root, "deploy", "prometheus");

    [SkippableTheory]
    [InlineData("check", "rules", "edgeproxy-alerts.yml")]
    [InlineData("check", "config", "prometheus.yml")]
    [InlineData("test", "rules", "tests/edgeproxy-alerts.test.yml")]
    public async Task Promtool_ShippedFiles_Pass(string command, string kind, string file)
    {
        Skip.If(Find("promtool") is null, "promtool is not installed (apt-get install prometheus)");

        var (exitCode, output) = await RunAsync("promtool", [command, kind, file], TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ProveAlerts_BothNodesGone_RealPrometheusFiresNoActiveNode()
    {
        Skip.If(Find("prometheus") is null, "prometheus is not installed (apt-get install prometheus)");

        // The simulators and EdgeProxy built with this test project (its output holds both) instead of a second build.
        var (exitCode, output) = await RunAsync("bash", [Path.Combine(Directory, "prove-alerts.sh"), "--bin", AppContext.BaseDirectory], TimeSpan.FromSeconds(150));

        Assert.True(exitCode == 0, output);
        Assert.Contains("prove-alerts: PASS", output, StringComparison.Ordinal);
        Assert.Contains("\"alertname\":\"EdgeProxyNoActiveNode\"", output, StringComparison.Ordinal);
    }

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM, not a kill: the script's trap stops what it started.
            using var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await process.WaitForExitAsync();
            return (-1, $"timed out after {timeout}\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
