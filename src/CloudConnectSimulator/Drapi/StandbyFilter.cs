using CloudConnectSimulator.Hosting;

namespace CloudConnectSimulator.Drapi;

/// <summary>Answers 503 on DR endpoints while Digital Routing is standby on this node.</summary>
internal sealed class StandbyFilter(NodeState state) : IEndpointFilter
{
    public static IResult StandbyResult() => Results.Json(new { status = "standby" }, SimulatorJson.Options, statusCode: StatusCodes.Status503ServiceUnavailable);

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        state.Mode == NodeMode.Active ? next(context) : ValueTask.FromResult<object?>(StandbyResult());
}
