namespace CloudConnectSimulator.Hosting;

/// <summary>
/// Host lifetime that ignores Ctrl-C and SIGTERM: several nodes can live in one test process, and the
/// standalone program decides itself when to stop them.
/// </summary>
internal sealed class DetachedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
