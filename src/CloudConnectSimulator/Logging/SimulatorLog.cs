namespace CloudConnectSimulator.Logging;

/// <summary>The simulator's log lines, with stable event ids.</summary>
internal static partial class SimulatorLog
{
    [LoggerMessage(1, LogLevel.Information, "{Node} {Method} {Path}{Query} {Protocol} -> {Status} in {ElapsedMs:F1} ms (client {ClientSubject})")]
    public static partial void RequestCompleted(ILogger logger, string node, string method, string path, string query, string protocol, int status, double elapsedMs, string? clientSubject);

    [LoggerMessage(2, LogLevel.Warning, "{Node} refused a TLS connection from {Remote}: no client certificate")]
    public static partial void NoClientCertificate(ILogger logger, string node, string? remote);

    [LoggerMessage(3, LogLevel.Warning, "{Node} refused the client certificate '{Subject}' from {Remote}: {Reason}")]
    public static partial void ClientCertificateRefused(ILogger logger, string node, string subject, string? remote, string reason);

    [LoggerMessage(4, LogLevel.Information, "{Node} dropped a connection from {Remote} (dead mode)")]
    public static partial void ConnectionDropped(ILogger logger, string node, string? remote);

    [LoggerMessage(5, LogLevel.Information, "{Node} mode is now {Mode}")]
    public static partial void ModeChanged(ILogger logger, string node, NodeMode mode);

    [LoggerMessage(6, LogLevel.Information, "{Node} delay is now {DelayMs} ms")]
    public static partial void DelayChanged(ILogger logger, string node, double delayMs);

    [LoggerMessage(7, LogLevel.Information, "{Node} listening on {HttpsUri} (mutual TLS), admin on {AdminUri}, mode {Mode}")]
    public static partial void Started(ILogger logger, string node, Uri httpsUri, Uri adminUri, NodeMode mode);

    [LoggerMessage(8, LogLevel.Information, "{Node} stopped")]
    public static partial void Stopped(ILogger logger, string node);
}
