namespace CloudConnectSimulator.Pipeline;

/// <summary>Holds every response back by the node's current delay, to simulate a slow node.</summary>
internal sealed class DelayMiddleware(RequestDelegate next, NodeState state, TimeProvider timeProvider)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var delay = state.Delay;
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, timeProvider, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return; // the client gave up; nobody is left to answer
            }
        }

        await next(context);
    }
}
