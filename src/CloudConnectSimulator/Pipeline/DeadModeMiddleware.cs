using CloudConnectSimulator.Connections;

namespace CloudConnectSimulator.Pipeline;

/// <summary>
/// Aborts a request whose connection was opened before the node went dead (a race with
/// <see cref="ConnectionGate.AbortAll"/>), so no request gets through in dead mode.
/// </summary>
internal sealed class DeadModeMiddleware(RequestDelegate next, NodeState state, ConnectionGate gate)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (state.Mode != NodeMode.Dead)
        {
            return next(context);
        }

        // HttpContext.Abort only resets the stream under HTTP/2; a dead node loses the whole connection.
        gate.Abort(context.Connection.Id);
        context.Abort();
        return Task.CompletedTask;
    }
}
