namespace CloudConnectSimulator.Recording;

/// <summary>Thread-safe list that keeps only the latest entries, so a long lab run does not grow without bound.</summary>
internal sealed class BoundedLog<T>(int capacity)
{
    private readonly Queue<T> _items = new();
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    public void Add(T item)
    {
        lock (_lock)
        {
            if (_items.Count == capacity)
            {
                _items.Dequeue();
            }

            _items.Enqueue(item);
        }
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_lock)
        {
            return _items.ToArray();
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _items.Clear();
        }
    }
}
