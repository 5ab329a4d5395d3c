using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EdgeProxy.Edge;

/// <summary>
/// Hands Kestrel's own rejection events to <see cref="KestrelRejections"/>: Kestrel reports a rejected request
/// only as a Debug event (ConnectionBadRequest with its BadHttpRequestException and status; Http2ConnectionError,
/// Http2StreamError), named by connection id. This factory wraps the application's and gives Kestrel's
/// BadRequests and Http2 categories a logger that sees those events whatever the log level; everything else
/// (and those categories' own output) still goes to the inner factory unchanged.
/// Chosen over Kestrel's <c>kestrel.connection.duration</c> metric: its <c>error.type</c> names the reason but
/// the measurement carries no peer address nor connection id, and HTTP/2 stream errors end no connection.
/// </summary>
public sealed class KestrelRejectionTap(ILoggerFactory inner, Func<KestrelRejections> rejections) : ILoggerFactory
{
    public const string BadRequestsCategory = "Microsoft.AspNetCore.Server.Kestrel.BadRequests";

    public const string Http2Category = "Microsoft.AspNetCore.Server.Kestrel.Http2";

    public ILogger CreateLogger(string categoryName) => categoryName is BadRequestsCategory or Http2Category
        ? new TapLogger(inner.CreateLogger(categoryName), this)
        : inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private void Observe(EventId eventId, object? state, Exception? exception)
    {
        var (kind, status) = (eventId.Name, exception) switch
        {
            ("ConnectionBadRequest", BadHttpRequestException bad) => (KindOf(bad.StatusCode), bad.StatusCode),
            ("Http2ConnectionError", not null) => ("http2_connection_error", (int?)null),
            ("Http2StreamError", not null) => ("http2_stream_error", null),
            _ => (null, null),
        };
        if (kind is not null)
        {
            rejections().Report(ConnectionId(state), kind, exception!.Message, status);
        }
    }

    /// <summary>The metric label: a closed set, so a flood of odd requests cannot grow the label space.</summary>
    public static string KindOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "bad_request",
        StatusCodes.Status408RequestTimeout => "request_timeout",
        StatusCodes.Status411LengthRequired => "length_required",
        StatusCodes.Status413PayloadTooLarge => "body_too_large",
        StatusCodes.Status414UriTooLong => "uri_too_long",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "headers_too_large",
        StatusCodes.Status505HttpVersionNotsupported => "http_version_not_supported",
        _ => "other",
    };

    private static string? ConnectionId(object? state)
    {
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            foreach (var (key, value) in values)
            {
                if (key == "ConnectionId")
                {
                    return value as string;
                }
            }
        }

        return null;
    }

    private sealed class TapLogger(ILogger inner, KestrelRejectionTap tap) : ILogger
    {
        // Kestrel's rejection events are Debug: enabled here so Kestrel raises them; written on only if the inner logger wants them.
        public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Debug || inner.IsEnabled(logLevel);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            tap.Observe(eventId, state, exception);
            if (inner.IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}

/// <summary>Registers <see cref="KestrelRejections"/> and wraps the registered <see cref="ILoggerFactory"/> in <see cref="KestrelRejectionTap"/>.</summary>
public static class KestrelRejectionServiceCollectionExtensions
{
    /// <summary>Call after the logging provider's registration (it replaces the <see cref="ILoggerFactory"/> registered last).</summary>
    public static IServiceCollection AddKestrelRejectionLog(this IServiceCollection services)
    {
        services.AddSingleton<KestrelRejections>();
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(ILoggerFactory))
            ?? throw new InvalidOperationException("register the logging provider before AddKestrelRejectionLog");
        services.RemoveAll<ILoggerFactory>();
        services.AddSingleton<ILoggerFactory>(sp => new KestrelRejectionTap(Create(registered, sp), sp.GetRequiredService<KestrelRejections>));
        return services;
    }

    private static ILoggerFactory Create(ServiceDescriptor descriptor, IServiceProvider services) => (ILoggerFactory)(
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
