using CloudConnectSimulator.Hosting;

namespace CloudConnectSimulator.Drapi;

/// <summary><c>GET /drapi/v1/ping</c>: how the proxy finds the node where Digital Routing is active.</summary>
internal static class PingEndpoints
{
    public static void MapPing(this IEndpointRouteBuilder endpoints, NodeState state)
    {
        endpoints.MapGet("/drapi/v1/ping", () => state.Mode == NodeMode.Active
            ? Results.Json(new { status = "active", node = state.Name }, SimulatorJson.Options)
            : StandbyFilter.StandbyResult());
    }
}
