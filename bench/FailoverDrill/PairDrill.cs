using System.Diagnostics;
using System.Globalization;

namespace FailoverDrill;

/// <summary>
/// The load side of scripts/pair-lab.sh: requests through the balancer from several client addresses while the script
/// stops, kills and restarts the EdgeProxy instances behind it. The script writes a mark to standard input at each step;
/// the report splits the requests into the phases between marks, so each error is seen next to what caused it.
/// </summary>
internal static class PairDrill
{
    public static async Task<int> RunAsync(PairOptions options)
    {
        var clock = Stopwatch.StartNew();
        var marks = new List<Mark> { new(TimeSpan.Zero, "start") };
        await using (var load = new LoadGenerator(options.Load, clock))
        {
            load.Start();
            while (await Console.In.ReadLineAsync() is { } line)
            {
                if (line.Trim() is { Length: > 0 } label)
                {
                    marks.Add(new Mark(clock.Elapsed, label));
                }
            }

            await load.StopAsync();
            Report(options, load.Outcomes, marks);
        }

        return 0;
    }

    private static void Report(PairOptions options, IReadOnlyList<Outcome> outcomes, List<Mark> marks)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"{options.Label}: {options.RatePerSecond} req/s from {options.Sources.Count} client addresses ({options.Workers} workers, GET ping + POST task creation) through {options.Proxy}");
        for (var i = 0; i < marks.Count; i++)
        {
            var start = marks[i].At;
            var end = i + 1 < marks.Count ? marks[i + 1].At : TimeSpan.MaxValue;
            var during = outcomes.Where(o => o.At >= start && o.At < end).ToList();
            var errors = during.Where(o => !o.Success).ToList();
            var span = errors.Count == 0
                ? ""
                : string.Create(inv, $" (first {(errors.Min(e => e.At) - start).TotalMilliseconds:0} ms, last {(errors.Max(e => e.At) - start).TotalMilliseconds:0} ms after the mark): {Kinds(errors)}");
            Console.WriteLine(string.Create(inv, $"  +{start.TotalSeconds,6:0.0} s  {marks[i].Label,-28} {during.Count,6} requests, {errors.Count} errors{span}"));
        }

        var failed = outcomes.Where(o => !o.Success).ToList();
        Console.WriteLine($"SUMMARY {options.Label}: requests={outcomes.Count} (GET {outcomes.Count(o => o.Kind == "ping")}, POST {outcomes.Count(o => o.Kind == "create")}) "
            + $"errors={failed.Count}{(failed.Count > 0 ? $" ({Kinds(failed)})" : "")}");
    }

    /// <summary>"3x POST 502, 1x GET HttpRequestException": method, then the status or the exception.</summary>
    private static string Kinds(IEnumerable<Outcome> errors) => string.Join(", ", errors
        .GroupBy(e => $"{(e.Kind == "ping" ? "GET" : "POST")} {(e.Status == 0 ? e.Error : e.Status.ToString(CultureInfo.InvariantCulture))}")
        .OrderByDescending(g => g.Count())
        .Select(g => $"{g.Count()}x {g.Key}"));

    private sealed record Mark(TimeSpan At, string Label);
}
