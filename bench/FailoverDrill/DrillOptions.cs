using System.Globalization;

namespace FailoverDrill;

/// <summary>Command line of the drill; every value has a default that matches bench/failover-drill.sh.</summary>
internal sealed record DrillOptions
{
    public Uri Proxy { get; init; } = new("https://127.0.0.1:28443/");
    public string CaPath { get; init; } = "certs-sample/ca.crt";
    public Uri PublisherAdmin { get; init; } = new("http://127.0.0.11:28446/");
    public Uri SubscriberAdmin { get; init; } = new("http://127.0.0.12:28446/");

    /// <summary>
    /// <c>hot</c>: the other node is already active when the active one dies; <c>cold</c>: it is standby and promoted at
    /// that moment; <c>swap</c>: planned switch-over, nothing dies.
    /// </summary>
    public string Scenario { get; init; } = "hot";

    public int Cycles { get; init; } = 6;
    public int RatePerSecond { get; init; } = 200;
    public int Workers { get; init; } = 8;

    /// <summary>How long each cycle keeps the killed node dead before restoring it.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Steady load after the restore, before the next kill (the restored node passes RISE probes meanwhile).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(4);

    public LoadSettings Load => new(Proxy, CaPath, RatePerSecond, Workers, Sources: []);

    public const string Usage = """
        FailoverDrill: steady load through EdgeProxy while the active Cloud Connect node is killed and restored.
          --proxy URL --ca FILE --publisher-admin URL --subscriber-admin URL
          --scenario hot|cold|swap  --cycles N  --rate N  --workers N  --hold-ms N  --settle-ms N
        """;

    public static DrillOptions Parse(string[] args)
    {
        var options = new DrillOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value\n{Usage}");
            options = args[i] switch
            {
                "--proxy" => options with { Proxy = new Uri(value) },
                "--ca" => options with { CaPath = value },
                "--publisher-admin" => options with { PublisherAdmin = new Uri(value) },
                "--subscriber-admin" => options with { SubscriberAdmin = new Uri(value) },
                "--scenario" when value is "hot" or "cold" or "swap" => options with { Scenario = value },
                "--cycles" => options with { Cycles = Int(value) },
                "--rate" => options with { RatePerSecond = Int(value) },
                "--workers" => options with { Workers = Int(value) },
                "--hold-ms" => options with { Hold = TimeSpan.FromMilliseconds(Int(value)) },
                "--settle-ms" => options with { Settle = TimeSpan.FromMilliseconds(Int(value)) },
                _ => throw new ArgumentException($"unknown argument '{args[i]} {value}'\n{Usage}"),
            };
            i++;
        }

        return options;
    }

    private static int Int(string value) => int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
}
