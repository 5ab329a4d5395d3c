using EdgeProxy.Configuration;

namespace EdgeProxy.Hosting;

/// <summary>
/// <c>EdgeProxy serve</c>: runs the built application until shutdown. A start-up failure an operator can fix (see
/// <see cref="StartupFailure"/>) ends the process with exit code 1 and one line; its stack trace only at Debug.
/// </summary>
public static class ServeCommand
{
    public static async Task<int> RunAsync(WebApplication app, EdgeProxySettings settings)
    {
        // StartAsync and WaitForShutdownAsync rather than RunAsync, which disposes the host (and its logger) before the
        // exception reaches the caller.
        await using (app)
        {
            try
            {
                await app.StartAsync();
            }
            catch (Exception ex) when (StartupFailure.Describe(ex, ListenerBinding.Of(settings)) is { } reason)
            {
                var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeProxy");
                HostingLog.StartFailed(logger, reason);
                HostingLog.StartFailedDetail(logger, ex);
                return 1;
            }

            await app.WaitForShutdownAsync();
            return 0;
        }
    }
}
