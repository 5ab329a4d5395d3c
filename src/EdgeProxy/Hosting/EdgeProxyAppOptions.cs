using Serilog.Core;

namespace EdgeProxy.Hosting;

/// <summary>Test and embedding hooks for <see cref="EdgeProxyApp"/>.</summary>
public sealed class EdgeProxyAppOptions
{
    /// <summary>An extra Serilog sink (tests assert log events through an in-memory sink).</summary>
    public ILogEventSink? ExtraLogSink { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
