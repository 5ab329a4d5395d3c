using System.Diagnostics;
using CloudConnectSimulator;
using EdgeProxy.IntegrationTests.Infrastructure;
using EdgeProxy.Upstreams;

namespace EdgeProxy.IntegrationTests.Operations;

/// <summary>
/// The status page in headless Chromium: it loads, renders both nodes and the active one from the
/// status JSON, and shows a change of the active node. Skipped (and counted as skipped) without Chromium.
/// </summary>
public sealed class StatusPageBrowserTests : IAsyncLifetime
{
    private static readonly string? Chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    private ProxyHarness _lab = null!;

    public async Task InitializeAsync() => _lab = await ProxyHarness.StartAsync(o =>
        o.ExtraEnv.AddRange(["NGX_CLOUDCONNECT_HEALTHCHECK_INTERVAL=200", "NGX_CLOUDCONNECT_HEALTHCHECK_RISE=1", "NGX_CLOUDCONNECT_HEALTHCHECK_FALL=1"]));

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [SkippableFact]
    public async Task StatusPage_InHeadlessChromium_ShowsBothNodesAndFollowsTheActiveNode()
    {
        Skip.If(Chromium is null, "Chromium is not installed (apt-get install chromium)");

        var before = await RenderAsync();

        Assert.Contains("active node: publisher", before, StringComparison.Ordinal);
        Assert.Contains("<tr data-node=\"publisher\" class=\"active\">", before, StringComparison.Ordinal);
        Assert.Contains("<tr data-node=\"subscriber\">", before, StringComparison.Ordinal);
        Assert.Contains(_lab.State.Current.Version, before, StringComparison.Ordinal);

        _lab.Subscriber.Mode = NodeMode.Active;
        _lab.Publisher.Mode = NodeMode.Standby;
        await _lab.WaitForAsync(s => s.Active == NodeRole.Subscriber, "the subscriber to become active");
        var after = await RenderAsync();

        Assert.Contains("active node: subscriber", after, StringComparison.Ordinal);
        Assert.Contains("<tr data-node=\"subscriber\" class=\"active\">", after, StringComparison.Ordinal);
        Assert.Contains("<tr data-node=\"publisher\">", after, StringComparison.Ordinal);
    }

    // Loads the page, lets its script fetch and render the status, and returns the resulting DOM.
    private async Task<string> RenderAsync()
    {
        using var profile = new TempFolder("edgeproxy-chromium-");
        var start = new ProcessStartInfo(Chromium!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", $"--user-data-dir={profile.Path}", "--virtual-time-budget=5000", "--dump-dom",
            _lab.StatusUri.ToString(),
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var dom = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var html = await dom;
        Assert.True(html.Contains("</html>", StringComparison.Ordinal), "chromium printed no DOM: " + await errors);
        return html;
    }
}
