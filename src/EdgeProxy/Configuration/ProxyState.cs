namespace EdgeProxy.Configuration;

/// <summary>Holds the active configuration; swapped atomically on reload, read lock-free by requests.</summary>
public sealed class ProxyState
{
    private ActiveConfiguration _current;

    public ProxyState(LoadedConfiguration initial) => _current = new ActiveConfiguration(initial);

    /// <summary>Raised after a new configuration became active.</summary>
    public event Action<ActiveConfiguration>? Changed;

    public ActiveConfiguration Current => Volatile.Read(ref _current);

    public void Activate(LoadedConfiguration loaded)
    {
        var next = new ActiveConfiguration(loaded);
        Volatile.Write(ref _current, next);
        Changed?.Invoke(next);
    }
}
