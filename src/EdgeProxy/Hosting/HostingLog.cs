namespace EdgeProxy.Hosting;

/// <summary>Start-up and configuration log events; ids 1000-1099.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(1001, LogLevel.Information, "EdgeProxy starting: configuration {ConfigVersion}, public https://{BindAddress}:{Port}, status http://{StatusAddress}:{StatusPort}, publisher {Publisher}, subscriber {Subscriber}, env files {EnvFiles}")]
    public static partial void Starting(ILogger logger, string configVersion, string bindAddress, int port, string statusAddress, int statusPort, string publisher, string subscriber, string envFiles);

    [LoggerMessage(1004, LogLevel.Information, "TLS cipher policy (ECDHE with AEAD ciphers only) enforced by {Enforcer}")]
    public static partial void CipherPolicy(ILogger logger, string enforcer);

    [LoggerMessage(1007, LogLevel.Information, "{Signal} received: /readyz answers 503 now; serving for {DelaySeconds} s more (EDGEPROXY_SHUTDOWN_DELAY), then the listeners close and in-flight requests drain")]
    public static partial void Draining(ILogger logger, string signal, double delaySeconds);

    [LoggerMessage(1008, LogLevel.Information, "{Signal} received: the listeners close now and in-flight requests drain")]
    public static partial void Stopping(ILogger logger, string signal);

    [LoggerMessage(1009, LogLevel.Information, "Application started: serving until SIGTERM (drains after EDGEPROXY_SHUTDOWN_DELAY) or SIGINT/SIGQUIT (at once)")]
    public static partial void Started(ILogger logger);

    [LoggerMessage(1010, LogLevel.Information, "Application is shutting down: listeners closed, in-flight requests drain")]
    public static partial void ShuttingDown(ILogger logger);

    [LoggerMessage(1005, LogLevel.Critical, "EdgeProxy did not start: {Reason}")]
    public static partial void StartFailed(ILogger logger, string reason);

    [LoggerMessage(1006, LogLevel.Debug, "Start-up failure detail")]
    public static partial void StartFailedDetail(ILogger logger, Exception exception);

    [LoggerMessage(1002, LogLevel.Warning, "Configuration: {Message}")]
    public static partial void ConfigurationWarning(ILogger logger, string message);

    [LoggerMessage(1003, LogLevel.Information, "Configuration: {Message}")]
    public static partial void ConfigurationInfo(ILogger logger, string message);
}
