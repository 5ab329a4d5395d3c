using CloudConnectSimulator.Hosting;
using CloudConnectSimulator.Tasks;

namespace CloudConnectSimulator.Drapi;

/// <summary>
/// Cloud Connect's internal endpoints (trace configuration, node status). They exist here so proxy tests
/// can prove the proxy never forwards them: any hit shows up in the node's recorded requests.
/// </summary>
internal static class InternalEndpoints
{
    public static void MapInternal(this IEndpointRouteBuilder endpoints, NodeState state, TaskStore tasks)
    {
        endpoints.MapGet("/drapi/v1/config/{**setting}", (string? setting) => Results.Json(
            new { setting = setting ?? "", traceLevel = "INFO", components = new[] { "dr", "dataconn" } },
            SimulatorJson.Options));

        endpoints.MapPut("/drapi/v1/config/{**setting}", (string? setting) => Results.Json(
            new { setting = setting ?? "", updated = true },
            SimulatorJson.Options));

        endpoints.MapGet("/drapi/v1/status", () => Results.Json(
            new { node = state.Name, mode = SimulatorJson.ModeName(state.Mode), openTasks = tasks.OpenCount, services = new { dr = "up", dataconn = "up" } },
            SimulatorJson.Options));
    }
}
