using System.Globalization;
using System.Net;

namespace FailoverDrill;

/// <summary>Command line of <c>FailoverDrill pair</c>; the defaults match scripts/pair-lab.sh.</summary>
internal sealed record PairOptions
{
    public Uri Proxy { get; init; } = new("https://127.0.0.1:9443/");
    public string CaPath { get; init; } = "certs-sample/ca.crt";
    public int RatePerSecond { get; init; } = 100;
    public int Workers { get; init; } = 6;
    public IReadOnlyList<IPAddress> Sources { get; init; } = [IPAddress.Parse("127.0.0.5"), IPAddress.Parse("127.0.0.6"), IPAddress.Parse("127.0.0.7")];

    /// <summary>Names the run in the SUMMARY line (e.g. l7-rolling).</summary>
    public string Label { get; init; } = "pair";

    public LoadSettings Load => new(Proxy, CaPath, RatePerSecond, Workers, Sources);

    public const string Usage = """
        FailoverDrill pair: steady load through the balancer in front of an EdgeProxy pair until standard input ends.
        Each line read from standard input is a mark ("SIGTERM a"); the report counts requests and errors per phase
        between marks, then prints one SUMMARY line.
          --proxy URL --ca FILE --rate N --workers N --sources ADDR,ADDR,... --label NAME
        """;

    public static PairOptions Parse(string[] args)
    {
        var options = new PairOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value\n{Usage}");
            options = args[i] switch
            {
                "--proxy" => options with { Proxy = new Uri(value) },
                "--ca" => options with { CaPath = value },
                "--rate" => options with { RatePerSecond = Int(value) },
                "--workers" => options with { Workers = Int(value) },
                "--sources" => options with { Sources = [.. value.Split(',').Select(IPAddress.Parse)] },
                "--label" => options with { Label = value },
                _ => throw new ArgumentException($"unknown argument '{args[i]} {value}'\n{Usage}"),
            };
            i++;
        }

        return options;
    }

    private static int Int(string value) => int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
}
