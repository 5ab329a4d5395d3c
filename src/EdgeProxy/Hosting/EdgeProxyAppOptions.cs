using Serilog.Core;

namespace EdgeProxy.Hosting;

/// <summary>Test and embedding hooks for <see cref="EdgeProxyApp"/>.</summary>
public sealed class EdgeProxyAppOptions
{
    /// <summary>An extra Serilog sink (tests assert log events through an in-memory sink).</summary>
    public ILogEventSink? ExtraLogSink { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The env sources the configuration came from, re-read on reload.</summary>
    public Configuration.EnvSources Sources { get; init; } = Configuration.EnvSources.None;

    /// <summary>How often the configuration files are read whatever file events say (default 5 s; infinite turns it off).</summary>
    public TimeSpan? ReloadCheckInterval { get; init; }

    /// <summary>The process environment, read again on each reload.</summary>
    public Func<IReadOnlyDictionary<string, string>> ProcessEnvironment { get; init; } = static () => new Dictionary<string, string>();
}
