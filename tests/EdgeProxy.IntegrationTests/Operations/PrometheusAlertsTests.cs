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

        var promtool = await ChildProcess.RunAsync(["promtool", command, kind, file], workingDirectory: Directory);

        Assert.True(promtool.ExitCode == 0, promtool.Output);
        Assert.Contains("SUCCESS", promtool.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ProveAlerts_BothNodesGone_RealPrometheusFiresNoActiveNode()
    {
        Skip.If(Find("prometheus") is null, "prometheus is not installed (apt-get install prometheus)");

        // The simulators and EdgeProxy built with this test project (its output holds both) instead of a second build.
        var proof = await ChildProcess.RunAsync(["bash", Path.Combine(Directory, "prove-alerts.sh"), "--bin", AppContext.BaseDirectory],
            workingDirectory: Directory, timeout: TimeSpan.FromSeconds(150));

        Assert.True(proof.ExitCode == 0, proof.Output);
        Assert.Contains("prove-alerts: PASS", proof.Output, StringComparison.Ordinal);
        Assert.Contains("\"alertname\":\"EdgeProxyNoActiveNode\"", proof.Output, StringComparison.Ordinal);
    }

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
}
