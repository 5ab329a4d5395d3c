using System.Diagnostics;
using System.Globalization;
using FailoverDrill;

// Kills and restores the active Cloud Connect node several times under steady load through EdgeProxy and reports what
// the clients saw. bench/failover-drill.sh starts the simulators and EdgeProxy and then runs this.
// "FailoverDrill pair ...": steady load through the balancer in front of an EdgeProxy pair while scripts/pair-lab.sh
// restarts or kills the instances (PairDrill).
if (args is ["pair", .. var pairArgs])
{
    return await PairDrill.RunAsync(PairOptions.Parse(pairArgs));
}

var options = DrillOptions.Parse(args);
using var admin = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
var clock = Stopwatch.StartNew();

Task SetModeAsync(string node, string mode) => PostAsync(admin, new Uri(node == "publisher" ? options.PublisherAdmin : options.SubscriberAdmin, $"admin/mode/{mode}"));

// hot: both nodes answer the DR ping (the other node is ready); cold and swap: the usual Cloud Connect pair, one standby.
await SetModeAsync("publisher", "active");
await SetModeAsync("subscriber", options.Scenario == "hot" ? "active" : "standby");

await using (var load = new LoadGenerator(options.Load, clock))
{
    load.Start();
    await Task.Delay(options.Settle);
    var cycles = new List<Cycle>();
    var active = "publisher";
    for (var number = 1; number <= options.Cycles; number++)
    {
        var victim = active;
        var other = victim == "publisher" ? "subscriber" : "publisher";
        var killedAt = clock.Elapsed;
        switch (options.Scenario)
        {
            case "hot":
                await SetModeAsync(victim, "dead");
                break;
            case "cold":
                // A crash: the active node dies and Cloud Connect makes the other node active.
                await SetModeAsync(victim, "dead");
                await SetModeAsync(other, "active");
                break;
            default:
                // A planned switch-over: the other node takes Digital Routing, the active one goes standby; nothing dies.
                await SetModeAsync(other, "active");
                await SetModeAsync(victim, "standby");
                break;
        }

        await Task.Delay(options.Hold);
        await SetModeAsync(victim, options.Scenario == "hot" ? "active" : "standby");
        var restoredAt = clock.Elapsed;
        await Task.Delay(options.Settle);
        cycles.Add(new Cycle(number, victim, other, killedAt, restoredAt, clock.Elapsed));
        active = other;
    }

    await load.StopAsync();
    Report(options, load.Outcomes, cycles);
}

return 0;

static async Task PostAsync(HttpClient client, Uri uri)
{
    using var response = await client.PostAsync(uri, content: null);
    response.EnsureSuccessStatusCode();
}

static void Report(DrillOptions options, IReadOnlyList<Outcome> outcomes, List<Cycle> cycles)
{
    // The project runs with invariant globalization, so numbers print the same everywhere.
    var inv = CultureInfo.InvariantCulture;
    Console.WriteLine($"scenario {options.Scenario}: {options.RatePerSecond} req/s ({options.Workers} workers, ping + task creation), {cycles.Count} cycles, hold {options.Hold.TotalSeconds:0.#} s, settle {options.Settle.TotalSeconds:0.#} s");
    var baseline = outcomes.Where(o => o.At < cycles[0].Start).ToList();
    Console.WriteLine($"steady state before the first kill: {baseline.Count} requests, {baseline.Count(o => !o.Success)} errors");

    var switchTimes = new List<double>();
    var errorCounts = new List<int>();
    foreach (var cycle in cycles)
    {
        var during = outcomes.Where(o => o.At >= cycle.Start && o.At < cycle.End).ToList();
        var errors = during.Where(o => !o.Success).ToList();
        var firstOnOther = during.FirstOrDefault(o => o.Kind == "ping" && o.Success && o.Node == cycle.Other);
        var switchMs = firstOnOther is null ? double.NaN : (firstOnOther.At - cycle.Start).TotalMilliseconds;
        var lastError = errors.Count == 0 ? "-" : ((errors[^1].At - cycle.Start).TotalMilliseconds).ToString("0", inv) + " ms";
        var kinds = string.Join(", ", errors.GroupBy(e => $"{e.Status} {e.Error}").OrderByDescending(g => g.Count()).Select(g => $"{g.Count()}x {g.Key}"));
        // Sticky: once restored, the old node must not get traffic back while the new one is healthy.
        var backOnVictim = during.Count(o => o.At >= cycle.Restored && o.Kind == "ping" && o.Success && o.Node == cycle.Victim);
        Console.WriteLine($"cycle {cycle.Number}: {cycle.Victim} -> {cycle.Other}: first ping served by {cycle.Other} after {switchMs:0} ms; "
            + $"{errors.Count} client errors of {during.Count} (last at {lastError}){(kinds.Length > 0 ? ": " + kinds : "")}; pings served by {cycle.Victim} after its restore: {backOnVictim}");
        switchTimes.Add(switchMs);
        errorCounts.Add(errors.Count);
    }

    Console.WriteLine($"SUMMARY scenario={options.Scenario} cycles={cycles.Count} median_switch_ms={Median(switchTimes):0} max_switch_ms={switchTimes.Max():0} "
        + $"median_errors_per_cycle={Median(errorCounts.Select(e => (double)e).ToList()):0.#} total_errors={errorCounts.Sum()} requests={outcomes.Count}");
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

internal sealed record Cycle(int Number, string Victim, string Other, TimeSpan Start, TimeSpan Restored, TimeSpan End);
