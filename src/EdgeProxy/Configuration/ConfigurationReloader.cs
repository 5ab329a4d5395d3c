using System.Runtime.InteropServices;

namespace EdgeProxy.Configuration;

/// <summary>
/// Re-reads the env sources and certificate files when a watched file changes or on SIGHUP. A changed
/// set is loaded and validated whole; valid: hot-reloadable settings apply to new requests (restart-only
/// ones are logged as "restart required"); invalid: the running configuration stays and every error
/// is logged with file:line. Nothing is rebound, so no connection or in-flight request is dropped.
/// </summary>
public sealed class ConfigurationReloader : IHostedService, IDisposable
{
    /// <summary>File events arrive in bursts (editors write, rename, chmod); one reload per burst.</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest a relevant change waits for its burst to end: events that keep coming cannot starve a reload.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the files are read whatever the events say: file events are not delivered for an in-place write to a
    /// single-file bind mount, on many network filesystems or for some volume drivers, so this is the safety net.
    /// </summary>
    public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromSeconds(5);

    private const string SignalTrigger = "SIGHUP";
    private const string CheckTrigger = "periodic check";

    private readonly ProxyState _state;
    private readonly EnvSources _sources;
    private readonly Func<IReadOnlyDictionary<string, string>> _processEnvironment;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Lock _watchLock = new();
    private readonly TimeSpan _checkInterval;
    private readonly bool _watchFileEvents;
    private bool _disposed;
    private ITimer? _debounce;
    private ITimer? _check;
    private PosixSignalRegistration? _sighup;
    private WatchedFiles _watched = WatchedFiles.None;
    private long? _pendingSince;
    private string? _lastRejection;

    public ConfigurationReloader(ProxyState state, EnvSources sources, Func<IReadOnlyDictionary<string, string>> processEnvironment, TimeProvider time,
        ILogger<ConfigurationReloader> logger, TimeSpan? checkInterval = null, bool watchFileEvents = true)
    {
        _watchFileEvents = watchFileEvents;
        _state = state;
        _sources = sources;
        _processEnvironment = processEnvironment;
        _time = time;
        _logger = logger;
        _checkInterval = checkInterval ?? DefaultCheckInterval;
    }

    /// <summary>Raised after every reload attempt (tests and metrics observe it).</summary>
    public event Action<ReloadOutcome>? Reloaded;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _debounce = _time.CreateTimer(_ => OnDebounceElapsed(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (_checkInterval > TimeSpan.Zero && _checkInterval != Timeout.InfiniteTimeSpan)
        {
            _check = _time.CreateTimer(_ => _ = ReloadAsync(CheckTrigger), null, _checkInterval, _checkInterval);
        }

        if (!OperatingSystem.IsWindows())
        {
            _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                _ = ReloadAsync(SignalTrigger);
            });
        }

        Watch(_state.Current);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (_watchLock)
        {
            _disposed = true;
            _sighup?.Dispose();
            _sighup = null;
            _debounce?.Dispose();
            _check?.Dispose();
            foreach (var watcher in _watchers)
            {
                watcher.Dispose();
            }

            _watchers.Clear();
        }
    }

    /// <summary>Loads and validates the env sources and certificates now; applies them when valid.</summary>
    public async Task<ReloadOutcome> ReloadAsync(string trigger)
    {
        await _gate.WaitAsync();
        try
        {
            var outcome = Reload(trigger);
            // The periodic check says something only when it found a change.
            if (trigger != CheckTrigger || outcome.Status != ReloadStatus.Unchanged)
            {
                Reloaded?.Invoke(outcome);
            }

            return outcome;
        }
        finally
        {
            _gate.Release();
        }
    }

    private ReloadOutcome Reload(string trigger)
    {
        var running = _state.Current;
        var result = ConfigurationLoader.Load(_sources, _processEnvironment(), _time);
        if (result.Configuration is not { } loaded)
        {
            // The same broken files seen again (by the periodic check or another event) are not a new rejection.
            var rejection = string.Join('\n', result.Errors);
            if (trigger != SignalTrigger && rejection == _lastRejection)
            {
                return new ReloadOutcome(ReloadStatus.Unchanged, running.Version, [], [], []);
            }

            _lastRejection = rejection;
            foreach (var error in result.Errors)
            {
                ConfigurationLog.ReloadError(_logger, trigger, running.Version, error.ToString());
            }

            return new ReloadOutcome(ReloadStatus.Rejected, running.Version, [], [], result.Errors);
        }

        _lastRejection = null;
        if (loaded.Version == running.Version)
        {
            if (trigger == SignalTrigger)
            {
                // An operator who sent SIGHUP wants to see that it was heard.
                ConfigurationLog.Unchanged(_logger, trigger, running.Version);
            }

            return new ReloadOutcome(ReloadStatus.Unchanged, running.Version, [], [], []);
        }

        foreach (var notice in result.Notices.Where(n => n.IsWarning))
        {
            ConfigurationLog.ReloadNotice(_logger, trigger, notice.Message);
        }

        var changed = SettingsMerge.Changes(running.Loaded.Env, loaded.Env);
        var restartRequired = SettingsMerge.RestartOnlyChanges(running.Loaded.Env, loaded.Env);
        if (restartRequired.Count > 0)
        {
            ConfigurationLog.RestartRequired(_logger, trigger, string.Join(", ", restartRequired));
        }

        var merged = loaded with { Settings = SettingsMerge.KeepRestartOnly(running.Settings, loaded.Settings) };
        _state.Activate(merged);
        ConfigurationLog.Reloaded(_logger, trigger, running.Version, loaded.Version, changed.Count == 0 ? "certificate files" : string.Join(", ", changed));
        Watch(_state.Current);
        return new ReloadOutcome(ReloadStatus.Applied, loaded.Version, changed, restartRequired, []);
    }

    // Watches the directories of every env file, env directory and certificate file: editors and
    // Kubernetes replace files by rename, which only a directory watch sees.
    private void Watch(ActiveConfiguration configuration)
    {
        // A reload (timer or SIGHUP thread) can race shutdown; watchers change only under the lock, never after dispose.
        lock (_watchLock)
        {
            if (_disposed)
            {
                return;
            }

            var settings = configuration.Settings;
            var files = configuration.Loaded.Env.FilesRead
                .Concat([settings.ServerCertificatePath, settings.ServerKeyPath, settings.UpstreamClientCertificatePath, settings.UpstreamClientKeyPath, settings.TrustBundlePath])
                .Select(Path.GetFullPath)
                .ToList();
            _watched = new WatchedFiles(files, _sources.Directories.Select(Path.GetFullPath));
            if (_watchFileEvents)
            {
                WatchDirectories(files);
            }
        }
    }

    private void WatchDirectories(IEnumerable<string> files)
    {
        var directories = files
            .Select(path => Path.GetDirectoryName(path)!)
            .Concat(_sources.Directories.Select(Path.GetFullPath))
            .Where(Directory.Exists)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (directories.SequenceEqual(_watchers.Select(w => w.Path)))
        {
            return;
        }

        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _watchers.Clear();
        try
        {
            foreach (var directory in directories)
            {
                var watcher = new FileSystemWatcher(directory)
                {
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime | NotifyFilters.DirectoryName,
                };
                watcher.Changed += OnFileEvent;
                watcher.Created += OnFileEvent;
                watcher.Deleted += OnFileEvent;
                watcher.Renamed += OnFileEvent;
                watcher.EnableRaisingEvents = true;
                _watchers.Add(watcher);
            }
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            ConfigurationLog.WatchFailed(_logger, ex);
        }
    }

    // Only events for what EdgeProxy reads count (a busy log next to the env file must not delay a reload); a reload
    // follows Debounce after the last of them, but never later than MaxDelay after the first.
    private void OnFileEvent(object sender, FileSystemEventArgs e) => OnFileEvent(e);

    internal void OnFileEvent(FileSystemEventArgs e)
    {
        if (!_watched.IsRelevant(e))
        {
            return;
        }

        lock (_watchLock)
        {
            if (_disposed)
            {
                return;
            }

            _pendingSince ??= _time.GetTimestamp();
            var left = MaxDelay - _time.GetElapsedTime(_pendingSince.Value);
            _debounce?.Change(left < Debounce ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : Debounce, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnDebounceElapsed()
    {
        lock (_watchLock)
        {
            _pendingSince = null;
        }

        _ = ReloadAsync("file change");
    }
}
