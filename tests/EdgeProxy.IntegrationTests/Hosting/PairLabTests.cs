using EdgeProxy.IntegrationTests.Infrastructure;

namespace EdgeProxy.IntegrationTests.Hosting;

/// <summary>
/// scripts/pair-lab.sh as CI runs it: two EdgeProxy processes behind a real HAProxy running deploy/haproxy/ unchanged,
/// steady GET and POST load from several client addresses while each instance in turn gets SIGTERM, exits, is restarted
/// and comes back. The script checks the real client through the balancer first (403 / 200, X-Real-IP, blocking log)
/// and exits 1 on any failed check or any client error. Skipped (with the script's reason) without HAProxy or when its
/// loopback ports are taken.
/// </summary>
public sealed class PairLabTests
{
    [SkippableTheory]
    [InlineData("l7")]
    [InlineData("l4")]
    public async Task RollingRestartBehindHaProxy_LosesNoRequest(string mode)
    {
        var script = Path.Combine(RepoPaths.Root, "scripts", "pair-lab.sh");
        // Short load windows keep a run under a minute; the restarts themselves take what they take.
        var run = await ChildProcess.RunAsync(["bash", script, "--mode", mode, "--scenario", "rolling", "--steady-s", "1"],
            workingDirectory: RepoPaths.Root, timeout: TimeSpan.FromMinutes(3));

        Skip.If(run.ExitCode == 2, "scripts/pair-lab.sh cannot run here: " + run.Output.Trim());
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(3, run.Lines.Count(l => l.StartsWith("PASS  ", StringComparison.Ordinal)));
        var summary = Assert.Single(run.Lines, l => l.StartsWith($"SUMMARY {mode}-rolling: ", StringComparison.Ordinal));
        Assert.Matches(@"requests=[1-9][0-9]{2,} .* errors=0$", summary);
        // Both instances went through SIGTERM and came back (the steps the summary's phases are named after).
        Assert.Contains(run.Lines, l => l.Contains("edge-b UP at the balancer", StringComparison.Ordinal));
        Assert.Equal(2, run.Lines.Count(l => l.Contains("exited with code 0", StringComparison.Ordinal) && l.StartsWith("  ", StringComparison.Ordinal)));
    }
}
