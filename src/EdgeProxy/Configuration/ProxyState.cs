namespace EdgeProxy.Configuration;

/// <summary>Holds the active configuration; swapped atomically on reload, read lock-free by requests.</summary>
public sealed class ProxyState
{
    private readonly TimeProvider _time;
    private ActiveConfiguration _current;

    public ProxyState(LoadedConfiguration initial, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _current = new ActiveConfiguration(initial, _time.GetUtcNow());
    }

    /// <summary>Raised after a new configuration became active.</summary>
    public event Action<ActiveConfiguration>? Changed;

    public ActiveConfiguration Current => Volatile.Read(ref _current);

    public void Activate(LoadedConfiguration loaded)
    {
        var next = new ActiveConfiguration(loaded, _time.GetUtcNow());
        Volatile.Write(ref _current, next);
        Changed?.Invoke(next);
    }
}
