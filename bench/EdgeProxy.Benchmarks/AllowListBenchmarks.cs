using System.Net;
using BenchmarkDotNet.Attributes;
using EdgeProxy.Admission;

namespace EdgeProxy.Benchmarks;

/// <summary>
/// Allow-list lookups against 12 (Cisco's list), 1,000 and 100,000 entries, a mix of single
/// addresses and CIDR blocks; a hit, a miss, and the linear IPNetwork scan it replaces for contrast.
/// </summary>
[MemoryDiagnoser]
public class AllowListBenchmarks
{
    private AddressSet _set = null!;
    private IPNetwork[] _networks = null!;
    private IPAddress _hit = null!;
    private IPAddress _miss = null!;

    [Params(12, 1_000, 100_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _networks = Enumerable.Range(0, Entries).Select(i =>
        {
            var bytes = new byte[4];
            random.NextBytes(bytes);
            bytes[0] = (byte)(1 + (bytes[0] % 200));
            // One entry in eight is a /24 block, the rest single addresses, as merged data-centre lists look.
            return i % 8 == 0 ? new IPNetwork(new IPAddress([bytes[0], bytes[1], bytes[2], 0]), 24) : new IPNetwork(new IPAddress(bytes), 32);
        }).ToArray();
        _set = new AddressSet(_networks);
        _hit = _networks[^1].BaseAddress;
        _miss = IPAddress.Parse("240.0.0.1");
    }

    [Benchmark(Baseline = true)]
    public bool Hit() => _set.Contains(_hit);

    [Benchmark]
    public bool Miss() => _set.Contains(_miss);

    [Benchmark]
    public bool LinearScanMiss()
    {
        foreach (var network in _networks)
        {
            if (network.Contains(_miss))
            {
                return true;
            }
        }

        return false;
    }
}
