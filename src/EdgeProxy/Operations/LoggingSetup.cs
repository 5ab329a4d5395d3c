using System.Buffers;
using System.Globalization;
using System.Text;
using EdgeProxy.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace EdgeProxy.Operations;

/// <summary>Serilog set-up: JSON lines (or text) on stdout, level from NGX_ERR_LOG_LEVEL, switchable on reload.</summary>
public static class LoggingSetup
{
    public const string TextTemplate = "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    private static readonly OneLineTextFormatter TextFormatter = new(TextTemplate);

    /// <summary>The logger used before the configuration is known, and by <c>check</c>; one line per event, as <see cref="TextLine"/>.</summary>
    public static Logger CreateBootstrapLogger() => new LoggerConfiguration()
        .MinimumLevel.Information()
        .WriteTo.Console(TextFormatter, standardErrorFromLevel: LogEventLevel.Verbose)
        .CreateLogger();

    [ThreadStatic]
    private static StringWriter? t_text;

    /// <summary>
    /// One event as exactly one line of text (<see cref="TextTemplate"/>, control characters escaped by
    /// <see cref="OneLineTextFormatter"/>), UTF-8, appended to <paramref name="output"/>.
    /// </summary>
    public static void TextLine(LogEvent logEvent, IBufferWriter<byte> output)
    {
        var text = t_text ??= new StringWriter(CultureInfo.InvariantCulture);
        var builder = text.GetStringBuilder().Clear();
        TextFormatter.Format(logEvent, text);
        foreach (var chunk in builder.GetChunks())
        {
            var written = Encoding.UTF8.GetBytes(chunk.Span, output.GetSpan(Encoding.UTF8.GetMaxByteCount(chunk.Length)));
            output.Advance(written);
        }
    }

    public static Logger CreateLogger(EdgeProxySettings settings, LoggingLevelSwitch level, ILogEventSink? extraSink = null)
    {
        level.MinimumLevel = settings.LogLevel;
        var configuration = new LoggerConfiguration()
            .MinimumLevel.ControlledBy(level)
            // Framework chatter stays out of the application log; the access log covers each request.
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            // Off, not Warning: while this category is enabled at all, ASP.NET Core starts an Activity and a
            // log scope for every request (about 3 KB of the 17 KB a proxied request allocated; the access log has its own
            // fields and the tracking id correlates lines). It logs nothing above Information itself;
            // unhandled application errors are logged by Kestrel.
            .MinimumLevel.Override("Microsoft.AspNetCore.Hosting.Diagnostics", LevelAlias.Off)
            .MinimumLevel.Override("Yarp", LogEventLevel.Warning)
            // EdgeProxy logs each forwarding failure itself, with the reason (NodeForwarder, 2002).
            .MinimumLevel.Override("Yarp.ReverseProxy.Forwarder.HttpForwarder", LogEventLevel.Error)
            .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
            // The access and blocking logs are not governed by the error-log level (as in nginx).
            .MinimumLevel.Override(AccessLog.Category, LogEventLevel.Information)
            .MinimumLevel.Override(Admission.AdmissionLog.Category, LogEventLevel.Information)
            // The host logs a failed start with its stack trace; ServeCommand says it in one line instead.
            .Filter.ByExcluding(e => e.Exception is { } ex && Hosting.StartupFailure.IsKnown(ex) && e.Properties.TryGetValue("SourceContext", out var source)
                && source is ScalarValue { Value: "Microsoft.Extensions.Hosting.Internal.Host" })
            .Enrich.FromLogContext();

        // JSON lines (the container default) or text, both through the buffered writer: logging never
        // waits for stdout, which matters with I/O continuations running inline (InlineIo).
        configuration = configuration.WriteTo.Sink(settings.LogFormat == LogFormat.Json
            ? new StdoutLineSink(Console.OpenStandardOutput())
            : new StdoutLineSink(Console.OpenStandardOutput(), TextLine));

        if (extraSink is not null)
        {
            configuration = configuration.WriteTo.Sink(extraSink);
        }

        return configuration.CreateLogger();
    }
}
