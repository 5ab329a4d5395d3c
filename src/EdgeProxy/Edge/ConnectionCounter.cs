using System.Collections.Concurrent;
using System.Net;

namespace EdgeProxy.Edge;

/// <summary>
/// Open connections (or streams) per address. An entry exists only while its count is above zero, so
/// the table is bounded by what is open now. Hand-written: ASP.NET's concurrency limiter partitions
/// requests, not connections, and nothing in Kestrel counts connections per address.
/// </summary>
public sealed class ConnectionCounter
{
    private readonly ConcurrentDictionary<IPAddress, StrongBox<int>> _open = new();

    public int Addresses => _open.Count;

    /// <summary>Takes a slot for <paramref name="address"/> unless <paramref name="limit"/> are taken; returns the count seen.</summary>
    public bool TryAcquire(IPAddress address, int limit, out int open)
    {
        while (true)
        {
            var box = _open.GetOrAdd(address, static _ => new StrongBox<int>(0));
            lock (box)
            {
                // A box whose count fell to zero may have been removed by Release; start over with a fresh one.
                if (!_open.TryGetValue(address, out var current) || !ReferenceEquals(current, box))
                {
                    continue;
                }

                open = box.Value;
                if (box.Value >= limit)
                {
                    return false;
                }

                box.Value++;
                return true;
            }
        }
    }

    public void Release(IPAddress address)
    {
        if (!_open.TryGetValue(address, out var box))
        {
            return;
        }

        lock (box)
        {
            if (--box.Value <= 0)
            {
                _open.TryRemove(KeyValuePair.Create(address, box));
            }
        }
    }

    private sealed class StrongBox<T>(T value)
    {
        public T Value = value;
    }
}
