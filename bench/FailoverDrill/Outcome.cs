namespace FailoverDrill;

/// <summary>One client request as the client saw it.</summary>
/// <param name="At">Completion time, on the drill's stopwatch.</param>
/// <param name="Kind">"ping" or "create".</param>
/// <param name="Status">HTTP status, or 0 when the request failed without one.</param>
/// <param name="Node">For a successful ping, the node that answered it.</param>
/// <param name="Error">The EdgeProxy error code (e.g. no_active_node) or exception type of a failure.</param>
internal sealed record Outcome(TimeSpan At, string Kind, int Status, string? Node, string? Error)
{
    public bool Success => Status is >= 200 and < 300;
}
