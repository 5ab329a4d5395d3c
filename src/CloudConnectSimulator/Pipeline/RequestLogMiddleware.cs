using System.Diagnostics;
using CloudConnectSimulator.Logging;

namespace CloudConnectSimulator.Pipeline;

/// <summary>Writes one line per HTTPS request, for operators watching a standalone node.</summary>
internal sealed class RequestLogMiddleware(RequestDelegate next, string nodeName, ILogger logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var request = context.Request;
            SimulatorLog.RequestCompleted(
                logger,
                nodeName,
                request.Method,
                request.Path.Value ?? "/",
                request.QueryString.Value ?? "",
                request.Protocol,
                context.Response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                context.Connection.ClientCertificate?.Subject);
        }
    }
}
